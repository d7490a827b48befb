package org.usblogd.api.usb.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.usb.UsbException;

/**
 * An open device at the backend level: raw operations without bookkeeping. The core wraps it in the
 * {@link org.usblogd.api.usb.DeviceLink} given to drivers and does the releasing and re-attaching.
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

    /**
     * Makes transfers blocked on this connection return promptly with CLOSED, and later ones fail the same way.
     * Releasing interfaces and re-attaching kernel drivers must still work afterwards.
     */
    void abort();

    /** Closes the device handle. Never throws: closing must succeed on every exit path. */
    @Override
    void close();
}
