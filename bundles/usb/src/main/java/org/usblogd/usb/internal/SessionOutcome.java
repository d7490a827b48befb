package org.usblogd.usb.internal;

/** How a driver session ended. */
enum SessionOutcome {
    /** The core asked it to stop (driver left, daemon stopping, device departed). */
    STOPPED,
    /** The device went away under it. */
    GONE,
    /** open() or poll() threw; the device is retried after a backoff. */
    FAILED
}
