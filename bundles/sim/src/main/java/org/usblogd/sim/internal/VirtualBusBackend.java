package org.usblogd.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.sim.VirtualBus;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.UsbBackend;

/**
 * The virtual bus: a USB backend whose devices are {@link DeviceModel}s. Always present and empty until
 * something (the demo, a test, a plugin author) plugs a model in.
 */
@Component(service = { UsbBackend.class, VirtualBus.class }, immediate = true)
public class VirtualBusBackend implements UsbBackend, VirtualBus {
    private static final Logger log = LoggerFactory.getLogger(VirtualBusBackend.class);

    private final List<BackendListener> listeners = new CopyOnWriteArrayList<>();
    /**
     * What is plugged in now. An unplugged device leaves the list: it holds its model, and with it the class
     * loader of the bundle that made it (a demo twin taken out would otherwise stay in memory for good).
     */
    private final CopyOnWriteArrayList<VirtualDevice> devices = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextPort = new AtomicInteger(1);
    private final AtomicInteger nextAddress = new AtomicInteger(1);

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public void start(BackendListener listener) {
        listeners.add(listener);
        for (VirtualDevice d : devices) {
            if (d.plugged()) {
                listener.arrived(d);
            }
        }
    }

    @Override
    public void stop(BackendListener listener) {
        listeners.remove(listener);
    }

    @Override
    public PluggedDevice plug(DeviceModel model) {
        VirtualDevice d = new VirtualDevice(this, model, port(model.info().portPath()));
        d.connect(nextAddress.getAndIncrement());
        return d;
    }

    /**
     * The port a model asks for (a port path other than "-"), when free; else the next one on the first hub.
     * A demo family that names its own port keeps the device keys of the others as they were, whatever order
     * the families' bundles start in.
     */
    private synchronized String port(String asked) {
        if (asked != null && !asked.isBlank() && !asked.equals("-")
                && devices.stream().noneMatch(d -> asked.equals(d.info().portPath()))) {
            return asked;
        }
        return "v1-" + nextPort.getAndIncrement();
    }

    @Override
    public List<PluggedDevice> devices() {
        return new ArrayList<>(devices);
    }

    int newAddress() {
        return nextAddress.getAndIncrement();
    }

    void announceArrival(VirtualDevice d) {
        log.debug("virtual device arrived: {}", d.info());
        devices.addIfAbsent(d);
        listeners.forEach(l -> l.arrived(d));
    }

    void announceDeparture(VirtualDevice d) {
        log.debug("virtual device left: {}", d.info());
        devices.remove(d);
        listeners.forEach(l -> l.left(d));
    }

    @Deactivate
    void deactivate() {
        devices.forEach(VirtualDevice::unplug);
    }
}
