package org.usblogd.testing.counter.twin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.sim.VirtualBus;

/**
 * Plugs counter twins into the virtual bus while {@code conf/org.usblogd.sim.counters.cfg} exists: devices
 * that number their samples, for soak tests and for checking that nothing is lost.
 */
@Component(immediate = true, configurationPid = SimulatedCounters.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimulatedCounters.Config.class)
public class SimulatedCounters {
    static final String PID = "org.usblogd.sim.counters";
    private static final Logger log = LoggerFactory.getLogger(SimulatedCounters.class);

    @ObjectClassDefinition(name = "usblogd simulated counters")
    public @interface Config {
        @AttributeDefinition(description = "How many counter twins to plug in")
        int count() default 1;

        @AttributeDefinition(description = "Period of each twin's reports in milliseconds")
        long period_ms() default 100;

        @AttributeDefinition(description = "Reports after which each twin stops answering until unplugged, as a"
                + " wedged firmware does (0 = never)")
        long wedge_after() default 0;
    }

    private final List<PluggedDevice> plugged = new ArrayList<>();

    @Activate
    public SimulatedCounters(@Reference VirtualBus bus, Config config) {
        for (int i = 1; i <= config.count(); i++) {
            plugged.add(bus.plug(new CounterTwin(String.format("SIM%04d", i),
                    TimeUnit.MILLISECONDS.toNanos(Math.max(1, config.period_ms())), Math.max(0, config.wedge_after()))));
        }
        log.info("simulated counters on the virtual bus: {}", plugged.stream().map(PluggedDevice::info).toList());
    }

    @Deactivate
    void deactivate() {
        plugged.forEach(PluggedDevice::unplug);
    }
}
