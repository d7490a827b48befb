package org.usblogd.temper.twin;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The temper family's devices in the demo. */
@Component
public class TemperDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        return List.of(TemperTwin.gold(seed), TemperTwin.hum(seed + 1), TemperTwin.twoProbes(seed + 2));
    }
}
