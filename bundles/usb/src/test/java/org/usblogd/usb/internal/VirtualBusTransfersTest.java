package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.sim.internal.VirtualBusBackend;
import org.usblogd.testing.counter.twin.CounterTwin;

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
        bus.plug(CounterTwin.keepingEveryReport("CNT-7", TimeUnit.MILLISECONDS.toNanos(1)));
        CoreDeviceLink link = new CoreDeviceLink(device.get().info(), device.get().info().identity(),
                device.get().open());
        try {
            link.claim(0);
            link.setAlternateSetting(0, 0);
            link.clearHalt(0x81);
            long first;
            try (InStream s = link.openStream(0x81, 8, 4)) {
                byte[] b = new byte[8];
                s.read(b, 1_000);
                first = CounterTwin.sequence(b);
                for (int i = 1; i <= 20; i++) {
                    assertThat(s.read(b, 1_000)).isEqualTo(8);
                    assertThat(CounterTwin.sequence(b)).isEqualTo(first + i);
                }
                assertThat(s.completed()).isEqualTo(21);
            }
            link.resetDevice();
            byte[] b = new byte[8];
            link.interrupt(0x81, b, 8, 1_000);
            assertThat(CounterTwin.sequence(b)).as("the device answers after a reset, its sequence going on")
                    .isGreaterThan(first + 20);
        } finally {
            link.releaseAndClose();
        }
    }

    @Test
    void anUnpluggedDeviceIsLetGoByTheBusSoThatItsModelAndTheBundleThatMadeItCanBeCollected() throws Exception {
        VirtualBusBackend bus = new VirtualBusBackend();
        java.util.List<java.lang.ref.WeakReference<Object>> models = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            org.usblogd.api.sim.DeviceModel model = CounterTwin.keepingEveryReport("GONE-" + i,
                    TimeUnit.MILLISECONDS.toNanos(20));
            models.add(new java.lang.ref.WeakReference<>(model));
            bus.plug(model).unplug();
        }
        org.usblogd.api.sim.PluggedDevice kept = bus.plug(CounterTwin.keepingEveryReport("KEPT", 1_000_000));
        kept.replug();
        assertThat(bus.devices()).as("the bus lists what is plugged in, a replugged device once").containsExactly(kept);
        for (int i = 0; i < 50 && models.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(models).as("no unplugged device's model is still held").allMatch(r -> r.get() == null);
    }

    @Test
    void aModelThatNamesItsPortIsPluggedThereAndTheOthersCountOnTheFirstHubAsBefore() {
        VirtualBusBackend bus = new VirtualBusBackend();
        CounterTwin counter = CounterTwin.keepingEveryReport("PINNED", 1_000_000);
        org.usblogd.api.sim.DeviceModel pinned = new org.usblogd.api.sim.DeviceModel() {
            @Override
            public org.usblogd.api.usb.UsbDeviceInfo info() {
                return counter.info().at("v2-1", 0);
            }

            @Override
            public byte[] controlIn(org.usblogd.api.sim.ControlSetup setup) throws org.usblogd.api.usb.UsbException {
                return counter.controlIn(setup);
            }

            @Override
            public void controlOut(org.usblogd.api.sim.ControlSetup setup, byte[] data)
                    throws org.usblogd.api.usb.UsbException {
                counter.controlOut(setup, data);
            }

            @Override
            public byte[] in(int endpoint, long nowNanos) {
                return counter.in(endpoint, nowNanos);
            }

            @Override
            public long nextInNanos(int endpoint, long nowNanos) {
                return counter.nextInNanos(endpoint, nowNanos);
            }
        };
        assertThat(bus.plug(pinned).info().portPath()).isEqualTo("v2-1");
        assertThat(bus.plug(CounterTwin.keepingEveryReport("A", 1_000_000)).info().portPath()).isEqualTo("v1-1");
        assertThat(bus.plug(pinned).info().portPath()).as("its port taken: the next free one").isEqualTo("v1-2");
    }
}
