package org.usblogd.sim.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.sim.VirtualBus;

/**
 * The demo as a whiteboard: when the daemon runs with {@code --demo} (the launcher sets the framework
 * property {@value #DEMO_PROPERTY} and installs the families' twin bundles), the models of every
 * {@link DemoModels} service are plugged into the virtual bus, and unplugged when the service goes. No family
 * is named here: a new family's twin bundle is found as it comes.
 */
@Component(immediate = true)
public class DemoDevices {
    static final String DEMO_PROPERTY = "usblogd.demo";
    private static final Logger log = LoggerFactory.getLogger(DemoDevices.class);

    private final VirtualBus bus;
    private final boolean demo;
    private final Map<DemoModels, List<PluggedDevice>> plugged = new HashMap<>();
    private boolean active = true;

    @Activate
    public DemoDevices(@Reference VirtualBus bus, BundleContext context) {
        this.bus = bus;
        this.demo = Boolean.parseBoolean(context.getProperty(DEMO_PROPERTY));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFamily(DemoModels family) {
        if (!demo) {
            return;
        }
        List<PluggedDevice> devices = new ArrayList<>();
        // a family's seed from the clock: the demo's noise differs from run to run, as a real room's does
        family.models(System.nanoTime()).forEach(m -> devices.add(bus.plug(m)));
        synchronized (this) {
            if (active) {
                plugged.put(family, devices);
                log.info("demo mode: simulated devices on the virtual bus: {}",
                        devices.stream().map(PluggedDevice::info).toList());
                return;
            }
        }
        devices.forEach(PluggedDevice::unplug);
    }

    void removeFamily(DemoModels family) {
        List<PluggedDevice> devices;
        synchronized (this) {
            devices = plugged.remove(family);
        }
        if (devices != null) {
            devices.forEach(PluggedDevice::unplug);
        }
    }

    @Deactivate
    void deactivate() {
        List<PluggedDevice> all = new ArrayList<>();
        synchronized (this) {
            active = false;
            plugged.values().forEach(all::addAll);
            plugged.clear();
        }
        all.forEach(PluggedDevice::unplug);
    }
}
