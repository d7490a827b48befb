package org.usblogd.api.usb.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;

/** A device present on a backend's bus. */
@ConsumerType
public interface BackendDevice {

    UsbDeviceInfo info();

    /** Opens the device; fails with ACCESS (permissions), GONE, or BUSY. */
    DeviceConnection open() throws UsbException;
}
