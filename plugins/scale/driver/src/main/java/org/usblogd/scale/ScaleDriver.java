package org.usblogd.scale;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/** HID point-of-sale scales: Dymo M10 and M25. */
@Component(immediate = true)
@UsbMatch(driver = "scale", vid = "0922", pid = "8003")
@UsbMatch(driver = "scale", vid = "0922", pid = "8004")
public class ScaleDriver implements Driver {

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        return ScaleSession.open(link, sink, link.settings().pollMillis(ScaleSession.DEFAULT_RECORD_MS));
    }
}
