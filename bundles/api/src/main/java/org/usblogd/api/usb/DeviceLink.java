package org.usblogd.api.usb;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A driver's only way to its device. The core opens the device before handing the link over and, on every
 * exit path, releases what the driver claimed, re-attaches the kernel drivers it detached and closes the
 * device; a driver cannot leak a claimed interface.
 *
 * <p>Transfers are synchronous and bounded by a timeout in milliseconds; the direction of bulk and
 * interrupt transfers follows bit 7 of the endpoint address, the direction of control transfers bit 7 of
 * bmRequestType. IN transfers fill {@code buffer} from index 0 and return how many bytes arrived.
 */
@ProviderType
public interface DeviceLink {

    UsbDeviceInfo info();

    DeviceIdentity identity();

    /** Claims the interface, detaching the kernel driver bound to it first. */
    void claim(int interfaceNumber) throws UsbException;

    /** wLength is {@code length}; for OUT requests the first {@code length} bytes of data are sent. */
    int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException;

    int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;

    int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException;
}
