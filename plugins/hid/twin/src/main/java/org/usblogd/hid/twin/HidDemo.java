package org.usblogd.hid.twin;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The hid family's devices in the demo. */
@Component
public class HidDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        // read by the generic HID logger as the demo's org.usblogd.hid-diy.cfg tells it
        return List.of(new DiySensorTwin(TimeUnit.MILLISECONDS.toNanos(500), seed));
    }
}
