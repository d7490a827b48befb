package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.usblogd.usb.internal.Await.await;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Version;
import org.usblogd.testing.counter.twin.CounterTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;
import org.usblogd.usb.internal.libusb.CompositeModel;
import org.usblogd.usb.internal.libusb.LibUsbBackend;
import org.usblogd.usb.internal.libusb.LibUsbHarness;

/**
 * The core with the real libusb stack under it: whichever way a session ends, the interface is released
 * and the kernel driver that was bound before is bound again, as the emulated kernel sees it.
 */
@Timeout(60)
class CoreOnLibUsbTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);
    private final AtomicLong serviceIds = new AtomicLong(100);

    @RegisterExtension
    final CoreOnLibUsbFixture core = CoreOnLibUsbFixture.withUdevd();
    private final UsbTestbed testbed = core.testbed;
    private final LibUsbBackend backend = core.backend;
    private final MemoryRecorder recorder = core.recorder;
    private final DeviceManager manager = core.manager;

    @BeforeEach
    void start() {
        core.start("udev");
    }

    @Test
    void theKernelDriverIsDetachedWhileBoundAndReattachedWhenTheDriverLeaves() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        EmulatedUsbDevice d = testbed.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD), 1, 1, 2);
        String id = "1209:0010:CNT-1";
        assertThat(d.kernelDriver(0)).isEqualTo("usbhid");

        await("samples through libusb", () -> recorder.sampleCount(id) >= 20);
        assertThat(d.kernelDriver(0)).as("while claimed").isNull();
        assertThat(d.claimedInterfaces()).containsExactly(0);

        manager.removeDriver(serviceIds.get());

        await("session closed", () -> driver.closes.get() == 1);
        await("kernel driver back", () -> "usbhid".equals(d.kernelDriver(0)));
        assertThat(d.claimedInterfaces()).isEmpty();
    }

    @Test
    void aDriverSwappedOnLibUsbLosesNoReportAndAfterTheGraceTheKernelDriverIsBack() throws InterruptedException {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        long first = serviceIds.get();
        CounterTwin twin = CounterTwin.keepingNewest("CNT-1", TimeUnit.MILLISECONDS.toNanos(20), 4);
        EmulatedUsbDevice d = testbed.plug(twin, 1, 1, 2);
        String id = "1209:0010:CNT-1";
        await("samples through libusb", () -> recorder.sampleCount(id) >= 20);

        manager.removeDriver(first);
        Thread.sleep(300);
        assertThat(d.claimedInterfaces()).as("claimed during the swap").containsExactly(0);
        CountingDriver next = new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE);
        manager.addDriver(new DriverRef(next, "counter", 0, new Version(1, 0, 1), serviceIds.incrementAndGet()));
        await("the new version bound", () -> next.opens.get() == 1);
        int before = recorder.sampleCount(id);
        await("samples from it", () -> recorder.sampleCount(id) >= before + 20);
        java.util.List<Double> values = recorder.samples.get(id).stream().map(MemoryRecorder.Sample::value).toList();
        for (int k = 1; k < values.size(); k++) {
            assertThat(values.get(k) - values.get(k - 1)).as("step after report %s", values.get(k - 1)).isEqualTo(1.0);
        }
        assertThat(twin.lost()).isZero();

        manager.removeDriver(serviceIds.get()); // and none comes: after the grace (1 s) the device goes back

        await("kernel driver back", () -> "usbhid".equals(d.kernelDriver(0)));
        assertThat(d.claimedInterfaces()).isEmpty();
        await("device handle closed", () -> LibUsbHarness.openConnections(backend) == 0);
    }

    @Test
    void aDriverThatThrowsStillGivesTheInterfaceBack() {
        CountingDriver bad = add(new CountingDriver("bad-poll", "POLL", CountingDriver.Fault.THROW_IN_POLL));
        EmulatedUsbDevice d = testbed.plug(CounterTwin.keepingEveryReport("POLL-1", PERIOD), 1, 1, 2);
        String id = "1209:0010:POLL-1";

        await("the failure is recorded", () -> !recorder.events(id, "session.failed").isEmpty());
        await("kernel driver back after the failure", () -> "usbhid".equals(d.kernelDriver(0))
                || bad.opens.get() >= 2);
        assertThat(recorder.events(id, "session.failed").get(0).message()).contains("driver bug in poll");
        await("retried", () -> bad.opens.get() >= 2);
        manager.removeDriver(serviceIds.get());
        await("kernel driver back at the end", () -> "usbhid".equals(d.kernelDriver(0)));
        assertThat(d.claimedInterfaces()).isEmpty();
    }

    @Test
    void unplugMidTransferEndsTheSessionAndAReplugResumes() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        // A slow device: the session is nearly always blocked in an interrupt transfer.
        EmulatedUsbDevice d = testbed.plug(CounterTwin.keepingEveryReport("CNT-1", TimeUnit.MILLISECONDS.toNanos(300)), 1, 1, 2);
        String id = "1209:0010:CNT-1";
        await("first sample", () -> recorder.sampleCount(id) >= 1);

        testbed.unplug(d);

        await("session closed", () -> driver.closes.get() == 1);
        await("detached", () -> recorder.events(id, "device.detached").size() == 1);
        await("device handle closed", () -> LibUsbHarness.openConnections(backend) == 0);

        EmulatedUsbDevice back = testbed.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD), 1, 1, 8);
        int before = recorder.sampleCount(id);
        await("samples after the replug", () -> recorder.sampleCount(id) >= before + 10);
        assertThat(back.kernelDriver(0)).isNull();
    }

    @Test
    void stoppingTheCoreGivesEveryInterfaceBack() throws InterruptedException {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        EmulatedUsbDevice a = testbed.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD), 1, 1, 2);
        EmulatedUsbDevice b = testbed.plug(CounterTwin.keepingEveryReport("CNT-2", PERIOD), 1, 2, 3);
        await("both stream", () -> recorder.sampleCount("1209:0010:CNT-1") > 5
                && recorder.sampleCount("1209:0010:CNT-2") > 5);

        manager.deactivate();

        for (EmulatedUsbDevice d : new EmulatedUsbDevice[] { a, b }) {
            assertThat(d.claimedInterfaces()).isEmpty();
            assertThat(d.kernelDriver(0)).isEqualTo("usbhid");
        }
        assertThat(LibUsbHarness.openConnections(backend)).isZero();
    }

    @Test
    void repeatedFailuresEscalateFromReopenToResetToBackingOffAndEachStepIsAnEvent() {
        add(new CountingDriver("wedged", "WDG", CountingDriver.Fault.USB_ERROR_IN_POLL));
        EmulatedUsbDevice d = testbed.plug(CounterTwin.keepingEveryReport("WDG-1", PERIOD), 1, 1, 2);
        String id = "1209:0010:WDG-1";

        await("escalated to backing off", () -> !recorder.events(id, "recovery.back-off").isEmpty());

        assertThat(recorder.events(id, "recovery.reopen")).hasSize(2);
        assertThat(recorder.events(id, "recovery.reset")).hasSize(1);
        assertThat(recorder.events(id, "recovery.back-off").get(0).message()).contains("4 failure(s) in a row");
        assertThat(d.resets()).as("bus resets seen by the device").isEqualTo(1);
        assertThat(recorder.events(id, "session.failed")).allSatisfy(
                e -> assertThat(e.message()).contains("protocol error from the device"));
    }

    @Test
    void transientErrorsAreRetriedInsideTheSession() {
        CountingDriver driver = add(new CountingDriver("flaky", "FLK", CountingDriver.Fault.TRANSIENT_IN_POLL));
        testbed.plug(CounterTwin.keepingEveryReport("FLK-1", PERIOD), 1, 1, 2);
        String id = "1209:0010:FLK-1";

        await("samples despite every other poll failing", () -> recorder.sampleCount(id) >= 20);

        assertThat(driver.opens.get()).isEqualTo(1);
        assertThat(recorder.events(id, "session.failed")).isEmpty();
    }

    @Test
    void claimingAnInterfaceOfAnUnconfiguredDeviceSelectsItsConfigurationFirst() throws Exception {
        EmulatedUsbDevice d = testbed.plug(new CompositeModel("CT-0009", PERIOD, 0), 1, 3, 4);
        org.usblogd.api.usb.spi.BackendDevice[] found = new org.usblogd.api.usb.spi.BackendDevice[1];
        backend.start(new org.usblogd.api.usb.spi.BackendListener() {
            @Override
            public void arrived(org.usblogd.api.usb.spi.BackendDevice device) {
                found[0] = device;
            }

            @Override
            public void left(org.usblogd.api.usb.spi.BackendDevice device) {
            }
        });
        await("arrival", () -> found[0] != null);
        assertThat(found[0].info().activeConfiguration()).isZero();
        CoreDeviceLink link = new CoreDeviceLink(found[0].info(), found[0].info().identity(), found[0].open());
        try {
            link.claim(1);
            assertThat(d.configuration()).isEqualTo(1);
            assertThat(d.claimedInterfaces()).containsExactly(1);
            assertThat(link.bulk(0x85, new byte[512], 512, 1_000)).isEqualTo(512);
        } finally {
            link.releaseAndClose();
        }
        assertThat(d.claimedInterfaces()).isEmpty();
    }

    private CountingDriver add(CountingDriver d) {
        manager.addDriver(new DriverRef(d, d.name(), 0, new Version(1, 0, 0), serviceIds.incrementAndGet()));
        return d;
    }
}
