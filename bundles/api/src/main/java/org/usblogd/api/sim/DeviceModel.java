package org.usblogd.api.sim;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;

/**
 * The device side of a simulated USB device: what it describes, how it answers control requests, what it
 * puts on its IN endpoints and when. A transport (the virtual bus, or the umockdev harness for the real
 * libusb stack) turns host requests into calls here, so one model serves both.
 *
 * <p>Timing is pull-based and needs no threads: the transport asks {@link #in} for an endpoint's next
 * packet and, when there is none, waits until {@link #nextInNanos} or until the host does something.
 * Models are called by one transport thread at a time per call but possibly from several threads over
 * their life: keep state in fields guarded by the model's own monitor.
 */
@ConsumerType
public interface DeviceModel {

    /** Descriptors and strings; port path and address are assigned by the bus. */
    UsbDeviceInfo info();

    /** The kernel driver bound to the interface when the device is plugged in ("usbhid"), or null. */
    default String kernelDriver(int interfaceNumber) {
        return null;
    }

    /** Answers a control IN request with at most {@code setup.length()} bytes, or throws STALL. */
    byte[] controlIn(ControlSetup setup) throws UsbException;

    /** Accepts a control OUT request, or throws STALL. */
    void controlOut(ControlSetup setup, byte[] data) throws UsbException;

    /** Accepts a bulk or interrupt OUT packet. */
    default void out(int endpoint, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "endpoint " + Integer.toHexString(endpoint) + " halted");
    }

    /** The next packet of an IN endpoint that is ready at {@code nowNanos}, or null when none is. */
    byte[] in(int endpoint, long nowNanos);

    /** When the next IN packet may be ready, in {@link System#nanoTime()} terms; Long.MAX_VALUE = not before the host acts. */
    long nextInNanos(int endpoint, long nowNanos);

    /** The device was unplugged, replugged or reset: forget the session with the host. */
    default void reset() {
    }
}
