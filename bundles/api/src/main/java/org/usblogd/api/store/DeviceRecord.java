package org.usblogd.api.store;

import java.time.Instant;

/**
 * A device the logger has seen.
 *
 * @param driver the driver last bound, or null
 * @param attached whether it is plugged in now (as far as the running daemon knows)
 * @param binding why it got its driver ("co2mon: score 100: 04d9:a052") or none, as last decided; or null
 */
public record DeviceRecord(String device, String vidPid, String product, String backend, String driver,
        boolean attached, Instant firstSeen, Instant lastSeen, long samples, String binding) {

    public DeviceRecord(String device, String vidPid, String product, String backend, String driver,
            boolean attached, Instant firstSeen, Instant lastSeen, long samples) {
        this(device, vidPid, product, backend, driver, attached, firstSeen, lastSeen, samples, null);
    }
}
