package org.usblogd.temper;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/** PCsensor TEMPer thermometers; which one it is comes from its firmware string, asked when opening. */
@Component(immediate = true)
@UsbMatch(driver = "temper", vid = "0c45", pid = "7401")
@UsbMatch(driver = "temper", vid = "0c45", pid = "7402")
@UsbMatch(driver = "temper", vid = "413d", pid = "2107")
@UsbMatch(driver = "temper", vid = "1a86", pid = "e025")
@UsbMatch(driver = "temper", vid = "3553", pid = "a001")
public class TemperDriver implements Driver {
    static final Channel TEMPERATURE = new Channel("temperature", "°C", "temperature");
    static final Channel HUMIDITY = new Channel("humidity", "%RH", "relative humidity");
    static final Channel PROBE = new Channel("probe_temperature", "°C", "temperature");

    @Override
    public String name() {
        return "temper";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        return TemperSession.open(link, sink, link.settings().pollMillis(TemperSession.DEFAULT_POLL_MS));
    }
}
