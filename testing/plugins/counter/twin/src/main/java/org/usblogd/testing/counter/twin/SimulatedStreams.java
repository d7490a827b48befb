package org.usblogd.testing.counter.twin;

import java.util.ArrayList;
import java.util.List;

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
 * Plugs high-rate sample streams into the virtual bus while {@code conf/org.usblogd.sim.streams.cfg}
 * exists: devices that number their samples, for the store's benchmark and crash tests.
 */
@Component(immediate = true, configurationPid = SimulatedStreams.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimulatedStreams.Config.class)
public class SimulatedStreams {
    static final String PID = "org.usblogd.sim.streams";
    private static final Logger log = LoggerFactory.getLogger(SimulatedStreams.class);

    @ObjectClassDefinition(name = "usblogd simulated sample streams")
    public @interface Config {
        @AttributeDefinition(description = "How many stream twins to plug in")
        int count() default 1;

        @AttributeDefinition(description = "Samples per second of each")
        long rate() default 100_000;
    }

    private final List<PluggedDevice> plugged = new ArrayList<>();

    @Activate
    public SimulatedStreams(@Reference VirtualBus bus, Config config) {
        for (int i = 1; i <= config.count(); i++) {
            plugged.add(bus.plug(new SampleStreamTwin(String.format("STREAM%02d", i), config.rate(), i)));
        }
        log.info("simulated sample streams on the virtual bus: {} at {} samples/s each", plugged.size(), config.rate());
    }

    @Deactivate
    void deactivate() {
        plugged.forEach(PluggedDevice::unplug);
    }
}
