package org.usblogd.store.jdbc;

import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * What the device table says of one device. {@code info} is null for a device known only by its key (a
 * row that has to be made again for an event or a channel after the database lost it).
 */
public record DeviceRow(String key, UsbDeviceInfo info, String backend, String driver, boolean attached,
        long firstSeen, long lastSeen) {

    /** A row from the key alone: its vendor and product IDs, the rest unknown. */
    public static DeviceRow fromKey(String key, long now) {
        return new DeviceRow(key, null, null, null, false, now, now);
    }

    int vid() {
        return info != null ? info.vendorId() : hex(0, 4);
    }

    int pid() {
        return info != null ? info.productId() : hex(5, 9);
    }

    private int hex(int from, int to) {
        try {
            return key.length() >= to ? Integer.parseInt(key.substring(from, to), 16) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
