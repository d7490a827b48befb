package org.usblogd.co2mon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceLink;

/** ZyAura / Holtek CO2 monitors (TFA AIRCO2NTROL, CO2Mini, ZGm053U), 04d9:a052. */
@Component(immediate = true)
@UsbMatch(driver = "co2mon", vid = "04d9", pid = "a052")
public class Co2MonDriver implements Driver {
    static final Channel CO2 = new Channel("co2", "ppm", "carbon dioxide");
    static final Channel TEMPERATURE = new Channel("temperature", "°C", "temperature");
    static final Channel HUMIDITY = new Channel("humidity", "%RH", "relative humidity");

    @Override
    public String name() {
        return "co2mon";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        return Co2Session.open(link, sink, keyFor(link.identity()));
    }

    /**
     * The key a monitor is told to encrypt with (older firmware does): the same for a device in every session,
     * so that reports the core kept while this driver was swapped, encrypted with the key the previous version
     * gave, still decode. It keeps nothing secret; the monitor only needs one.
     */
    static byte[] keyFor(DeviceIdentity device) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(device.key().getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
