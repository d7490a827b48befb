package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/** Devices coming and going, with udev's hotplug and with the sysfs watcher; the supervised event thread. */
@Timeout(60)
class LibUsbHotplugTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);

    @RegisterExtension
    final LibUsbFixture usb = LibUsbFixture.withUdevd();
    private final UsbTestbed testbed = usb.testbed;
    private final LibUsbBackend backend = usb.backend;
    private final RecordingListener listener = usb.listener;

    @Test
    void withUdevDevicesArriveLeaveAndKeepTheirIdentityAcrossAReplug() throws Exception {
        LibUsbHarness.activate(backend, "udev");
        backend.start(listener);

        EmulatedUsbDevice first = testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 2, 5);
        UsbDeviceInfo arrived = listener.awaitArrival().info();
        assertThat(arrived.address()).isEqualTo(5);

        EmulatedUsbDevice again = testbed.replug(first, 9);
        listener.awaitDeparture();
        UsbDeviceInfo back = listener.awaitArrival().info();

        assertThat(back.address()).isEqualTo(9);
        assertThat(back.identity()).isEqualTo(arrived.identity());
        testbed.unplug(again);
        listener.awaitDeparture();
        assertThat(listener.present).isEmpty();
        assertThat(backend.contextsCreated()).as("hotplug needs no other context").isEqualTo(1);
    }

    /**
     * With udev, a departure is reported from libusb's hotplug callback, on the event thread. A listener
     * that aborts a connection there (here another device's, whose idle stream has every transfer in
     * flight) must not wait for the cancelled transfers' callbacks: only that thread could deliver them.
     * They are freed once the handle is closed, and nothing is left behind.
     */
    @Test
    void aConnectionAbortedInsideAHotplugCallbackReturnsAtOnceAndItsTransfersAreFreedWithTheHandle()
            throws Exception {
        AtomicReference<DeviceConnection> toAbort = new AtomicReference<>();
        AtomicLong abortNanos = new AtomicLong(-1);
        LibUsbHarness.activate(backend, "udev");
        backend.start(new BackendListener() {
            @Override
            public void arrived(BackendDevice device) {
                listener.arrived(device);
            }

            @Override
            public void left(BackendDevice device) {
                long t0 = System.nanoTime();
                DeviceConnection c = toAbort.get();
                if (c != null) {
                    c.abort();
                }
                abortNanos.set(System.nanoTime() - t0);
                listener.left(device);
            }
        });
        EmulatedUsbDevice leaving = testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 3);
        listener.awaitArrival();
        testbed.plug(new CompositeModel("CT-0002", PERIOD), 1, 2, 4);
        BackendDevice staying = listener.awaitArrival();
        if ("CT-0001".equals(staying.info().serialNumber())) {
            staying = listener.present.stream().filter(d -> "CT-0002".equals(d.info().serialNumber())).findFirst()
                    .orElseThrow();
        }
        DeviceConnection c = staying.open();
        c.detachKernelDriver(3);
        c.claimInterface(3);
        InStream idle = c.openStream(0x84, 8, 4); // the HID endpoint never sends: all four stay in flight
        toAbort.set(c);
        CompletableFuture<Kind> reader = CompletableFuture.supplyAsync(() -> {
            try {
                idle.read(new byte[8], 10_000);
                return null;
            } catch (UsbException e) {
                return e.kind();
            }
        });
        Thread.sleep(100);

        testbed.unplug(leaving);
        listener.awaitDeparture();

        assertThat(TimeUnit.NANOSECONDS.toMillis(abortNanos.get())).as("abort inside the hotplug callback, ms")
                .isLessThan(1_000);
        assertThat(reader.get(5, TimeUnit.SECONDS)).isEqualTo(Kind.CLOSED);
        idle.close();
        c.close();
        LibUsbContext anchor = backend.contexts().get(0);
        assertThat(anchor.connections().count()).as("handles open").isZero();
        assertThat(anchor.connections().transfers()).as("transfers not freed").isZero();
    }

    @Test
    void serialLessTwinsStayDistinctByPort() throws Exception {
        LibUsbHarness.activate(backend, "udev");
        backend.start(listener);

        testbed.plug(new CompositeModel(null, PERIOD), 1, 1, 4);
        testbed.plug(new CompositeModel(null, PERIOD), 1, 2, 6);

        String a = listener.awaitArrival().info().identity().key();
        String b = listener.awaitArrival().info().identity().key();
        assertThat(a).isNotEqualTo(b);
        assertThat(java.util.List.of(a, b)).containsExactlyInAnyOrder("1209:0002@1-1", "1209:0002@1-2");
    }

    @Test
    void withoutUdevdAnArrivalGetsAContextOfItsOwnAndAnOpenDeviceNeverNotices() throws Exception {
        testbed.withoutUdevd();
        EmulatedUsbDevice present = testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 3);
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(listener);
        BackendDevice before = listener.awaitArrival();
        try (DeviceConnection open = before.open()) {
            open.claimInterface(1);
            try (InStream s = open.openStream(0x85, 512, 2)) {
                s.read(new byte[512], 2_000);

                EmulatedUsbDevice second = testbed.plug(new CompositeModel("CT-0002", PERIOD), 1, 2, 4);

                BackendDevice arrived = listener.awaitArrival();
                assertThat(arrived.info().serialNumber()).isEqualTo("CT-0002");
                assertThat(listener.present).containsExactlyInAnyOrder(before, arrived);
                assertThat(backend.contextsCreated()).isEqualTo(2);
                try (DeviceConnection c = arrived.open()) {
                    c.claimInterface(1);
                    try (InStream s2 = c.openStream(0x85, 512, 2)) {
                        assertThat(s2.read(new byte[512], 2_000)).as("a stream on the new context").isEqualTo(512);
                    }
                }
                testbed.unplug(second);
                assertThat(listener.awaitDeparture()).isSameAs(arrived);
                awaitContextsExited(1);

                assertThat(s.read(new byte[512], 2_000)).as("the open device's stream, all along").isEqualTo(512);
            }
        }
        testbed.unplug(present);
        assertThat(listener.awaitDeparture()).isSameAs(before);
        assertThat(backend.contextsCreated()).as("a departure needs no context").isEqualTo(2);
        assertThat(backend.contexts()).as("the anchor stays").hasSize(1);
    }

    private void awaitContextsExited(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (backend.contextsExited() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(backend.contextsExited()).as("contexts exited").isEqualTo(n);
    }

    @Test
    void anIdleDaemonWithAnOpenDeviceDoesNotSpin() throws Exception {
        try (DeviceConnection c = usb.plugAndStart(new CompositeModel("CT-0001", PERIOD), 1, 3).open()) {
            c.detachKernelDriver(3);
            c.claimInterface(3);
            try (InStream idle = c.openStream(0x84, 8, 4)) { // URBs in flight, nothing ever arrives
                Thread events = thread("usb-libusb-events");
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getThreadCpuTime(events.getId());
                long rounds0 = backend.eventThread().rounds();
                Thread.sleep(2_000);
                long cpuMs = TimeUnit.NANOSECONDS.toMillis(mx.getThreadCpuTime(events.getId()) - cpu0);
                long rounds = backend.eventThread().rounds() - rounds0;

                assertThat(cpuMs).as("event thread CPU over 2 s idle").isLessThan(100);
                assertThat(rounds).as("event-handling rounds over 2 s idle").isLessThan(20);
            }
        }
    }

    @Test
    void aDeadEventThreadIsRestartedAndStreamsGoOn() throws Exception {
        try (DeviceConnection c = usb.plugAndStart(new CompositeModel("CT-0001", PERIOD), 1, 3).open()) {
            c.claimInterface(1);
            LibUsbEventThread events = backend.eventThread();

            events.injectFailure = new IllegalStateException("simulated failure in the event loop");
            long deadline = System.currentTimeMillis() + 5_000;
            while (events.restarts() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }

            assertThat(events.restarts()).isEqualTo(1);
            try (InStream s = c.openStream(0x85, 512, 2)) {
                assertThat(s.read(new byte[512], 2_000)).isEqualTo(512);
            }
        }
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    /** Threads whose name starts so, once those that are ending have ended. */
    static long threads(String prefix) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3_000;
        long n;
        do {
            n = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
            if (n > 0) {
                Thread.sleep(20);
            }
        } while (n > 0 && System.currentTimeMillis() < deadline);
        return n;
    }
}
