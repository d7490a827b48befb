package org.usblogd.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One driver's conversation with one device. The core calls {@link #poll()} in a loop on the device's
 * thread until the device leaves, the driver leaves or the daemon stops, and checks between calls whether
 * to stop; so a poll should block no longer than its transfer timeouts (a second or two).
 */
@ConsumerType
public interface DriverSession {

    /**
     * Does one unit of work: typically one read and the samples decoded from it. A
     * {@link org.usblogd.api.usb.UsbException} of kind TIMEOUT means "nothing this time" and the loop goes
     * on; GONE ends the session quietly; anything else ends the session with an error.
     */
    void poll() throws Exception;

    /** Called once when the session ends, before the core releases the device. No I/O is guaranteed to work. */
    default void close() {
    }
}
