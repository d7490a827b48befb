package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.sim.internal.VirtualBusBackend;

/** The DeviceLink operations added for the libusb stack behave the same on the virtual bus. */
@Timeout(30)
class VirtualBusTransfersTest {

    @Test
    void streamsAlternateSettingsResetAndClearHaltWorkOnTheVirtualBus() throws Exception {
        VirtualBusBackend bus = new VirtualBusBackend();
        AtomicReference<BackendDevice> device = new AtomicReference<>();
        bus.start(new BackendListener() {
            @Override
            public void arrived(BackendDevice d) {
                device.set(d);
            }

            @Override
            public void left(BackendDevice d) {
            }
        });
        bus.plug(new CounterModel("CNT-7", TimeUnit.MILLISECONDS.toNanos(1)));
        CoreDeviceLink link = new CoreDeviceLink(device.get().info(), device.get().info().identity(),
                device.get().open());
        try {
            link.claim(0);
            link.setAlternateSetting(0, 0);
            link.clearHalt(0x81);
            try (InStream s = link.openStream(0x81, 8, 4)) {
                byte[] b = new byte[8];
                s.read(b, 1_000);
                int first = ByteBuffer.wrap(b).getInt();
                for (int i = 1; i <= 20; i++) {
                    assertThat(s.read(b, 1_000)).isEqualTo(4);
                    assertThat(ByteBuffer.wrap(b).getInt()).isEqualTo(first + i);
                }
                assertThat(s.completed()).isEqualTo(21);
            }
            link.resetDevice();
            byte[] b = new byte[8];
            link.interrupt(0x81, b, 8, 1_000);
            assertThat(ByteBuffer.wrap(b).getInt()).as("a reset restarts the model").isGreaterThanOrEqualTo(0);
        } finally {
            link.releaseAndClose();
        }
    }
}
