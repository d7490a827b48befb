package org.usblogd.usb.internal.libusb;

import org.usb4java.LibUsb;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;

/** Turns libusb error codes into {@link UsbException}s whose messages tell the user what to do. */
final class LibUsbErrors {
    private LibUsbErrors() {
    }

    static Kind kindOf(int code) {
        switch (code) {
        case LibUsb.ERROR_NO_DEVICE:
            return Kind.GONE;
        case LibUsb.ERROR_TIMEOUT:
            return Kind.TIMEOUT;
        case LibUsb.ERROR_PIPE:
            return Kind.STALL;
        case LibUsb.ERROR_BUSY:
            return Kind.BUSY;
        case LibUsb.ERROR_ACCESS:
            return Kind.ACCESS;
        case LibUsb.ERROR_OVERFLOW:
            return Kind.OVERFLOW;
        default:
            return Kind.OTHER;
        }
    }

    /**
     * @param what the operation, e.g. "claim interface 0"
     * @param device how the user knows the device, e.g. "04d9:a052 at 1-1.4 (/dev/bus/usb/001/005)"
     */
    static UsbException exception(int code, String what, String device) {
        Kind kind = kindOf(code);
        String base = what + " on " + device + " failed: " + LibUsb.strError(code);
        switch (kind) {
        case ACCESS:
            return new UsbException(kind, base + ". The daemon's user may not open the device node; install the"
                    + " udev rules (usblogd udev-rules) and re-plug the device, or add the user to the group"
                    + " that owns the node");
        case BUSY:
            return new UsbException(kind, base + ". Another program or kernel driver holds the interface");
        case GONE:
            return new UsbException(kind, base + ". The device was unplugged");
        default:
            return new UsbException(kind, base);
        }
    }

    static void check(int code, String what, String device) throws UsbException {
        if (code < 0) {
            throw exception(code, what, device);
        }
    }
}
