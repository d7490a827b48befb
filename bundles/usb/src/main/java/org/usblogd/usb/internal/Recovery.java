package org.usblogd.usb.internal;

/**
 * What the core does after a device's session failed, escalating with each failure in a row: open the
 * device again, then reset it on the bus before opening it, then only keep retrying with a growing pause.
 * Each step is recorded as an event, so the store tells how a device was brought back.
 */
enum Recovery {
    REOPEN, RESET, BACK_OFF;

    /** The step after the {@code failures}-th failure in a row (1-based). */
    static Recovery after(int failures) {
        if (failures <= 2) {
            return REOPEN;
        }
        return failures == 3 ? RESET : BACK_OFF;
    }

    String event() {
        return "recovery." + name().toLowerCase().replace('_', '-');
    }
}
