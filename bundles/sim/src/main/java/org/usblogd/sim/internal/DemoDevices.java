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
import org.usblogd.sim.twin.Ch340SerialTwin;
import org.usblogd.sim.twin.Co2MonitorTwin;
import org.usblogd.sim.twin.Cp210xSerialTwin;
import org.usblogd.sim.twin.FtdiSerialTwin;
import org.usblogd.sim.twin.PicoSerialTwin;
import org.usblogd.sim.twin.DiySensorTwin;
import org.usblogd.sim.twin.FnirsiTwin;
import org.usblogd.sim.twin.ScaleTwin;
import org.usblogd.sim.twin.TemperTwin;
import org.usblogd.sim.twin.UsbtmcTwin;
import org.usblogd.sim.twin.VUsbProgrammerTwin;
import org.usblogd.sim.twin.WensnTwin;

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
        long seed = System.nanoTime();
        plugged.add(bus.plug(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                TimeUnit.MILLISECONDS.toNanos(400), true, seed)));
        plugged.add(bus.plug(TemperTwin.gold(seed + 1)));
        plugged.add(bus.plug(TemperTwin.hum(seed + 2)));
        plugged.add(bus.plug(TemperTwin.twoProbes(seed + 3)));
        plugged.add(bus.plug(new WensnTwin(seed + 4, false)));
        // shares the sound meter's V-USB id: no driver may take it
        plugged.add(bus.plug(new VUsbProgrammerTwin()));
        plugged.add(bus.plug(new ScaleTwin(TimeUnit.MILLISECONDS.toNanos(250))));
        plugged.add(bus.plug(new FnirsiTwin(FnirsiTwin.Model.FNB58, seed + 5)));
        // read by the generic HID logger as demo/conf/org.usblogd.hid-diy.cfg tells it
        plugged.add(bus.plug(new DiySensorTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 6)));
        // read by the line driver as demo/conf/org.usblogd.serial-*.cfg tell it
        plugged.add(bus.plug(new PicoSerialTwin(TimeUnit.MILLISECONDS.toNanos(200), seed + 7)));
        plugged.add(bus.plug(new FtdiSerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 8)));
        plugged.add(bus.plug(new Ch340SerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 9)));
        plugged.add(bus.plug(new Cp210xSerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 10)));
        // polled as demo/conf/org.usblogd.device-dmm.cfg and -keysight.cfg say
        plugged.add(bus.plug(new UsbtmcTwin(UsbtmcTwin.Style.RIGOL, seed + 11)));
        plugged.add(bus.plug(new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, seed + 12)));
        log.info("demo mode: simulated devices on the virtual bus: {}", plugged.stream().map(PluggedDevice::info).toList());
    }

    @Deactivate
    void deactivate() {
        plugged.forEach(PluggedDevice::unplug);
    }
}
