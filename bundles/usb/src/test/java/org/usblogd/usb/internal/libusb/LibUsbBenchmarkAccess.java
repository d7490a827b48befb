package org.usblogd.usb.internal.libusb;

import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.spi.BackendDevice;

/** Gives the benchmark a raw usb4java handle on the same device and context as the backend's. */
public final class LibUsbBenchmarkAccess {
    private LibUsbBenchmarkAccess() {
    }

    public static DeviceHandle openRaw(BackendDevice device) {
        DeviceHandle h = new DeviceHandle();
        int r = LibUsb.open(((LibUsbDevice) device).device(), h);
        if (r != LibUsb.SUCCESS) {
            throw new IllegalStateException("open: " + LibUsb.strError(r));
        }
        return h;
    }
}
