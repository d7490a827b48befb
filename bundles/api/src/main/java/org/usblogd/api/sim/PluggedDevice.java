package org.usblogd.api.sim;

import org.osgi.annotation.versioning.ProviderType;
import org.usblogd.api.usb.UsbDeviceInfo;

/** A simulated device in a port of the virtual bus, with the state a test needs to check the host's manners. */
@ProviderType
public interface PluggedDevice {

    /** The info the host sees, with the current port path and address. */
    UsbDeviceInfo info();

    DeviceModel model();

    boolean plugged();

    /** Pulls the cable: transfers in progress fail with GONE. */
    void unplug();

    /** Plugs the same device in again, in the same port, under a new bus address. */
    void replug();

    /** Whether the host holds a claim on the interface. */
    boolean claimed(int interfaceNumber);

    /** The kernel driver bound to the interface now, or null while detached. */
    String kernelDriver(int interfaceNumber);

    /** Whether a host connection to the device is open. */
    boolean isOpen();
}
