package org.usblogd.fnirsi;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/** FNIRSI FNB48, C1 and FNB58 USB power meters. */
@Component(immediate = true)
@UsbMatch(driver = "fnirsi", vid = "0483", pid = "003a")
@UsbMatch(driver = "fnirsi", vid = "0483", pid = "003b")
@UsbMatch(driver = "fnirsi", vid = "2e3c", pid = "5558")
public class FnirsiDriver implements Driver {
    static final Channel VOLTAGE = new Channel("voltage", "V", "voltage");
    static final Channel CURRENT = new Channel("current", "A", "current");
    static final Channel D_PLUS = new Channel("d_plus", "V", "voltage");
    static final Channel D_MINUS = new Channel("d_minus", "V", "voltage");
    static final Channel TEMPERATURE = new Channel("temperature", "°C", "temperature");

    @Override
    public String name() {
        return "fnirsi";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        return FnirsiSession.open(link, sink);
    }
}
