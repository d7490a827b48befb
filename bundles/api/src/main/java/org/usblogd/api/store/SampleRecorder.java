package org.usblogd.api.store;

import org.osgi.annotation.versioning.ProviderType;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * The write side of the store, used by the core. Every method returns at once: the store queues the work
 * for its own writer thread, so a slow disk never stalls a device.
 */
@ProviderType
public interface SampleRecorder {

    void deviceAttached(DeviceIdentity device, UsbDeviceInfo info, String backend);

    /** A driver's session starts on the device; the store remembers it as the device's last driver. */
    void driverBound(DeviceIdentity device, String driver);

    /**
     * As {@link #driverBound(DeviceIdentity, String)}, with why this driver won (its match row and score),
     * which {@code usblogd devices} shows.
     */
    default void driverBound(DeviceIdentity device, String driver, String why) {
        driverBound(device, driver);
    }

    void deviceDetached(DeviceIdentity device);

    /** @param device null for events of the daemon itself */
    void event(DeviceIdentity device, String kind, String message);

    /** The sink a session of this device writes into. */
    SampleSink sink(DeviceIdentity device);
}
