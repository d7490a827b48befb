package org.usblogd.api.status;

import java.util.List;

/**
 * A device as {@code usblogd devices} shows it.
 *
 * @param state logging, binding, no driver, disabled, stale, retrying, detached, or daemon stopped
 * @param driver the driver bound, or null
 * @param bus the backend it was seen on (libusb, virtual)
 * @param lastSeen the time of its newest sample (ISO-8601, UTC), or null
 * @param why why it has its driver or none, as last decided, or null
 */
public record DeviceStatus(String device, String vidPid, String product, String state, boolean attached,
        String driver, String bus, long samples, String lastSeen, String why, List<ChannelStatus> channels) {

    /**
     * A channel in one unit (a channel recorded in two units is there twice), with its newest value in that
     * unit and that value's time; both null when it has none.
     */
    public record ChannelStatus(String name, String unit, Double lastValue, String lastTime) {
    }
}
