package org.usblogd.wensn;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * Wensn WS1361 / WS1381 sound level meters. 16c0:05dc is V-USB's shared ID (USBasp programmers use it
 * too), so a row only takes the device when its strings say Wensn.
 */
@Component(immediate = true)
@UsbMatch(driver = "wensn", vid = "16c0", pid = "05dc", product = "WS13?1*")
@UsbMatch(driver = "wensn", vid = "16c0", pid = "05dc", manufacturer = "*ensn*")
public class WensnDriver implements Driver {
    static final Channel LEVEL = new Channel("level", "dB", "sound pressure level");

    @Override
    public String name() {
        return "wensn";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) {
        sink.declare(LEVEL);
        return new WensnSession(link, sink, link.settings().pollMillis(WensnSession.DEFAULT_POLL_MS));
    }
}
