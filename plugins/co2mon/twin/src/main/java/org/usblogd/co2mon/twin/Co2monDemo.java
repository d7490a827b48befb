package org.usblogd.co2mon.twin;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The co2mon family's devices in the demo. */
@Component
public class Co2monDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        return List.of(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED, TimeUnit.MILLISECONDS.toNanos(400),
                true, seed));
    }
}
