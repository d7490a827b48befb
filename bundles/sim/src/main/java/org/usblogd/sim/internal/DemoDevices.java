package org.usblogd.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.sim.VirtualBus;
import org.usblogd.sim.twin.Co2MonitorTwin;

/**
 * Plugs the demo devices into the virtual bus when the daemon runs with {@code --demo} (the launcher sets
 * the framework property {@value #DEMO_PROPERTY}).
 */
@Component(immediate = true)
public class DemoDevices {
    static final String DEMO_PROPERTY = "usblogd.demo";
    private static final Logger log = LoggerFactory.getLogger(DemoDevices.class);

    private final List<PluggedDevice> plugged = new ArrayList<>();

    @Activate
    public DemoDevices(@Reference VirtualBus bus, BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty(DEMO_PROPERTY))) {
            return;
        }
        Co2MonitorTwin co2 = new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                TimeUnit.MILLISECONDS.toNanos(400), true, System.nanoTime());
        plugged.add(bus.plug(co2));
        log.info("demo mode: simulated devices on the virtual bus: {}", plugged.stream().map(PluggedDevice::info).toList());
    }

    @Deactivate
    void deactivate() {
        plugged.forEach(PluggedDevice::unplug);
    }
}
