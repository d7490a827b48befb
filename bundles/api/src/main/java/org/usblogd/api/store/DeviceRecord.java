package org.usblogd.api.store;

import java.time.Instant;

/**
 * A device the logger has seen.
 *
 * @param driver the driver last bound, or null
 * @param attached whether it is plugged in now (as far as the running daemon knows)
 */
public record DeviceRecord(String device, String vidPid, String product, String backend, String driver,
        boolean attached, Instant firstSeen, Instant lastSeen, long samples) {
}
