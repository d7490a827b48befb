package org.usblogd.audio.twin;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The audio family's device in the demo: a USB microphone hearing the demo signal. */
@Component
public class AudioDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        return List.of(new MicrophoneTwin(MicrophoneTwin.Signal.demo(), seed));
    }
}
