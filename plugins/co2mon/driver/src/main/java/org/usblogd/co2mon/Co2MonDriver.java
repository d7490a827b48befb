package org.usblogd.co2mon;

import java.security.SecureRandom;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/** ZyAura / Holtek CO2 monitors (TFA AIRCO2NTROL, CO2Mini, ZGm053U), 04d9:a052. */
@Component(immediate = true)
@UsbMatch(driver = "co2mon", vid = "04d9", pid = "a052")
public class Co2MonDriver implements Driver {
    static final Channel CO2 = new Channel("co2", "ppm", "carbon dioxide");
    static final Channel TEMPERATURE = new Channel("temperature", "°C", "temperature");
    static final Channel HUMIDITY = new Channel("humidity", "%RH", "relative humidity");

    private final SecureRandom random = new SecureRandom();

    @Override
    public String name() {
        return "co2mon";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        byte[] key = new byte[8];
        random.nextBytes(key);
        return Co2Session.open(link, sink, key);
    }
}
