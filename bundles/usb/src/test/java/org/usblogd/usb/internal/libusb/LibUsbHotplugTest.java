package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/** Devices coming and going, with udev's hotplug and with the sysfs watcher; the supervised event thread. */
@Timeout(60)
class LibUsbHotplugTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);

    private UsbTestbed testbed;
    private LibUsbBackend backend;
    private RecordingListener listener;

    @BeforeEach
    void start() {
        testbed = new UsbTestbed();
        backend = LibUsbHarness.backend(testbed);
        listener = new RecordingListener();
    }

    @AfterEach
    void stop() throws InterruptedException {
        backend.deactivate();
        testbed.close();
        assertThat(threads("usb-libusb-events")).as("event threads after stop").isZero();
        assertThat(threads("usb-sysfs-watcher")).as("watcher threads after stop").isZero();
    }

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
        assertThat(backend.contextStarts()).as("hotplug needs no context restart").isEqualTo(1);
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
    void withoutUdevTheSysfsWatcherFollowsDevicesByRestartingLibusbSafely() throws Exception {
        EmulatedUsbDevice present = testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 3);
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(listener);
        BackendDevice before = listener.awaitArrival();
        DeviceConnection open = before.open();

        testbed.plug(new CompositeModel("CT-0002", PERIOD), 1, 2, 4);

        // The open device is reported gone so that its session closes the handle before the restart.
        assertThat(listener.awaitDeparture()).isSameAs(before);
        open.close();
        BackendDevice x = listener.awaitArrival();
        BackendDevice y = listener.awaitArrival();
        assertThat(java.util.List.of(x.info().serialNumber(), y.info().serialNumber()))
                .containsExactlyInAnyOrder("CT-0001", "CT-0002");
        assertThat(backend.contextStarts()).isEqualTo(2);

        testbed.unplug(present);
        BackendDevice gone = listener.awaitDeparture();
        assertThat(gone.info().serialNumber()).isEqualTo("CT-0001");
        assertThat(backend.contextStarts()).as("a departure needs no restart").isEqualTo(2);
    }

    @Test
    void anIdleDaemonWithAnOpenDeviceDoesNotSpin() throws Exception {
        testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 3);
        LibUsbHarness.activate(backend, "none");
        backend.start(listener);
        try (DeviceConnection c = listener.awaitArrival().open()) {
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
        testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 3);
        LibUsbHarness.activate(backend, "none");
        backend.start(listener);
        try (DeviceConnection c = listener.awaitArrival().open()) {
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

    private static long threads(String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3_000;
        long n;
        do {
            n = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
            if (n > 0) {
                Thread.sleep(20);
            }
        } while (n > 0 && System.currentTimeMillis() < deadline);
        return n;
    }
}
