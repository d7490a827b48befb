package org.usblogd.scale.twin;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The scale family's devices in the demo. */
@Component
public class ScaleDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        return List.of(new ScaleTwin(TimeUnit.MILLISECONDS.toNanos(250)));
    }
}
