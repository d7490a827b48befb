package org.usblogd.wensn.twin;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The wensn family's devices in the demo. */
@Component
public class WensnDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        // the programmer shares the sound meter's V-USB id: no driver may take it
        return List.of(new WensnTwin(seed, false), new VUsbProgrammerTwin());
    }
}
