package org.usblogd.api.usb.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbException;

/**
 * An open device at the backend level: raw operations without bookkeeping. The core wraps it in the
 * {@link org.usblogd.api.usb.DeviceLink} given to drivers and does the releasing and re-attaching.
 * Operations added after 1.0 have defaults that report the backend cannot do them.
 */
@ConsumerType
public interface DeviceConnection extends AutoCloseable {

    boolean kernelDriverActive(int interfaceNumber) throws UsbException;

    void detachKernelDriver(int interfaceNumber) throws UsbException;

    void attachKernelDriver(int interfaceNumber) throws UsbException;

    void claimInterface(int interfaceNumber) throws UsbException;

    void releaseInterface(int interfaceNumber) throws UsbException;

    int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException;

    int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;

    int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;

    /** bConfigurationValue of the active configuration, 0 when unconfigured. */
    default int activeConfiguration() throws UsbException {
        return 1;
    }

    default void setConfiguration(int value) throws UsbException {
        throw unsupported("selecting a configuration");
    }

    default void setAlternateSetting(int interfaceNumber, int alternateSetting) throws UsbException {
        throw unsupported("selecting an alternate setting");
    }

    default int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        throw unsupported("isochronous transfers");
    }

    default InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        throw unsupported("streaming transfers");
    }

    default void clearHalt(int endpoint) throws UsbException {
        throw unsupported("clearing a halt");
    }

    default void resetDevice() throws UsbException {
        throw unsupported("resetting a device");
    }

    /**
     * Makes transfers blocked on this connection return promptly with CLOSED, and later ones fail the same way.
     * Releasing interfaces and re-attaching kernel drivers must still work afterwards.
     */
    void abort();

    /** Closes the device handle. Never throws: closing must succeed on every exit path. */
    @Override
    void close();

    private static UsbException unsupported(String what) {
        return new UsbException(UsbException.Kind.OTHER, "this USB backend does not support " + what);
    }
}
