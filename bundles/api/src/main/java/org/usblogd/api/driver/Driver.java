package org.usblogd.api.driver;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * A whiteboard service, one per device family, registered by a driver plugin. The core asks every driver
 * for a {@link #match} score when a device arrives and opens a session with the highest scorer.
 */
@ConsumerType
public interface Driver {

    /** Scores that drivers should use, so that specific drivers beat generic ones. */
    int MATCH_VID_PID = 100;
    int MATCH_CLASS = 50;
    int MATCH_GENERIC = 10;

    /** Short, stable name recorded with the data, e.g. "co2mon". */
    String name();

    /** 0 when this driver cannot handle the device; higher is a better match. Must not do I/O. */
    int match(UsbDeviceInfo device);

    /**
     * Starts talking to the device: claim interfaces, initialise, declare channels. Runs on the device's
     * own thread. Throwing ends the session; the core releases the device and records the error.
     */
    DriverSession open(DeviceLink link, SampleSink sink) throws Exception;
}
