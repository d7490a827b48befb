package org.usblogd.usb.internal.libusb;

import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.sim.internal.VirtualBusBackend;

/** The virtual bus side of the tests that hold both transports to the same rules. */
final class OnTheVirtualBus {
    private OnTheVirtualBus() {
    }

    /** Plugs the model into a virtual bus of its own: the device as the bus reports it to the core. */
    static BackendDevice plug(DeviceModel model) throws InterruptedException {
        VirtualBusBackend bus = new VirtualBusBackend();
        RecordingListener listener = new RecordingListener();
        bus.start(listener);
        bus.plug(model);
        return listener.awaitArrival();
    }
}
