package org.usblogd.testing.hung;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * A driver whose activation never returns, as one stuck in native code or waiting for something that never
 * comes: it ignores interrupts too. For the tests of a hung plugin, which run it in a daemon process of its
 * own (a thread stuck here is never released). No device matches it.
 */
@Component(immediate = true)
@UsbMatch(driver = "hung", vid = "1209", pid = "0fff")
public class HungDriver implements Driver {

    @Activate
    public HungDriver() {
        System.out.println("hung test driver: activating, and never returning");
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // ignored on purpose: a hung driver does not answer interrupts either
            }
        }
    }

    @Override
    public String name() {
        return "hung";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) {
        throw new IllegalStateException("never activated");
    }
}
