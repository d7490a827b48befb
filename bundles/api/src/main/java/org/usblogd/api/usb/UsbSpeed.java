package org.usblogd.api.usb;

/**
 * The speed a device was enumerated at. It decides the length of the bus's (micro)frames, and so how many
 * bytes an isochronous packet carries for a given data rate.
 *
 * @since 1.3
 */
public enum UsbSpeed {
    /** The backend could not tell; take it as full speed. */
    UNKNOWN,
    /** 1.5 Mbit/s. */
    LOW,
    /** 12 Mbit/s: one isochronous service opportunity per 1 ms frame. */
    FULL,
    /** 480 Mbit/s: 125 µs microframes. */
    HIGH,
    /** 5 Gbit/s. */
    SUPER,
    /** 10 Gbit/s and more. */
    SUPER_PLUS;

    /** Whether periodic endpoints are scheduled in 125 µs microframes rather than 1 ms frames. */
    public boolean microframes() {
        return ordinal() >= HIGH.ordinal();
    }
}
