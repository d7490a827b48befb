package org.usblogd.api.driver;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * A whiteboard service, one per device family, registered by a driver plugin. Which devices it takes is a
 * table: {@link UsbMatch} rows on the driver class (in the plugin's manifest, readable without running the
 * plugin) plus {@link #configuredMatches()}. When a device arrives the core scores every driver's rows and
 * opens a session with the highest scorer.
 */
@ConsumerType
public interface Driver {

    /** Scores that drivers should use, so that specific drivers beat generic ones. */
    int MATCH_VID_PID = 100;
    int MATCH_CLASS = 50;
    int MATCH_GENERIC = 10;

    /** Short, stable name recorded with the data, e.g. "co2mon". */
    String name();

    /**
     * Rows that come from configuration rather than from the manifest (a line driver told which adapter to
     * read, say). Called again whenever the driver service's properties change. Must not do I/O.
     */
    default List<DeviceMatch> configuredMatches() {
        return List.of();
    }

    /**
     * For drivers without a table only: a score computed in code, 0 when this driver cannot handle the
     * device. Tools cannot read it (no udev rules, no explanation in {@code usblogd doctor}); prefer
     * {@link UsbMatch}. Must not do I/O.
     */
    default int match(UsbDeviceInfo device) {
        return 0;
    }

    /**
     * Starts talking to the device: claim interfaces, initialise, declare channels. Runs on the device's
     * own thread. Throwing ends the session; the core releases the device and records the error.
     */
    DriverSession open(DeviceLink link, SampleSink sink) throws Exception;
}
