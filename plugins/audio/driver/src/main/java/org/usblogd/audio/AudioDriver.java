package org.usblogd.audio;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * USB Audio Class microphones (UAC1 and UAC2): any device with an audio streaming interface (class 01,
 * subclass 02) is a sound level meter. Per interval (1 s, or 125 ms "fast") it records Leq, Lmax and Lmin
 * under the A, C and Z weightings and the packets lost, in dBFS, or in dB SPL once calibrated; see
 * {@link AudioSettings} for the keys of the device's file.
 */
@Component(immediate = true)
@UsbMatch(driver = "audio", usbClass = "01", subclass = "02", settings = { AudioSettings.INTERVAL,
        AudioSettings.WEIGHTINGS, AudioSettings.CALIBRATION, AudioSettings.RATE })
public class AudioDriver implements Driver {

    @Override
    public String name() {
        return "audio";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        return AudioSession.open(link, sink);
    }
}
