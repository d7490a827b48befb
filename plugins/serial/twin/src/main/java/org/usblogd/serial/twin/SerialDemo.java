package org.usblogd.serial.twin;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.sim.DemoModels;
import org.usblogd.api.sim.DeviceModel;

/** The serial family's devices in the demo. */
@Component
public class SerialDemo implements DemoModels {
    @Override
    public List<DeviceModel> models(long seed) {
        // read by the line driver as the demo's org.usblogd.serial-*.cfg files tell it
        return List.of(new PicoSerialTwin(TimeUnit.MILLISECONDS.toNanos(200), seed),
                new FtdiSerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 1),
                new Ch340SerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 2),
                new Cp210xSerialTwin(TimeUnit.MILLISECONDS.toNanos(500), seed + 3));
    }
}
