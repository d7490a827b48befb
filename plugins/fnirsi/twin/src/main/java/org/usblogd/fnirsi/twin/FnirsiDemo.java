package org.usblogd.fnirsi.twin;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The fnirsi family's devices in the demo. */
@Component
public class FnirsiDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        return List.of(new FnirsiTwin(FnirsiTwin.Model.FNB58, seed));
    }
}
