package org.usblogd.usbtmc.twin;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The usbtmc family's devices in the demo. */
@Component
public class UsbtmcDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        // polled as the demo's org.usblogd.device-dmm.cfg and -keysight.cfg say
        return List.of(new UsbtmcTwin(UsbtmcTwin.Style.RIGOL, seed), new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, seed + 1));
    }
}
