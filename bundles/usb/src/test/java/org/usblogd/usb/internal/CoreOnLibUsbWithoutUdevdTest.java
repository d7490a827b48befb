package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.usblogd.usb.internal.Await.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Version;
import org.usblogd.testing.counter.twin.CounterTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The core with a driver on the real libusb stack, on a system without udevd, while two devices are
 * plugged and unplugged over and over: a third device's session never ends and misses no report, and every
 * replugged device is bound again each time it comes back.
 */
@Timeout(180)
class CoreOnLibUsbWithoutUdevdTest {
    /** 50 reports a second, of which the device keeps the newest 10: a session stopped for 200 ms loses some. */
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int DEPTH = 10;
    private static final int CYCLES = 25;
    private static final String STEADY = "1209:0010:RPT-STEADY";
    private static final String A = "1209:0010:RPT-A";
    private static final String B = "1209:0010:RPT-B";

    @RegisterExtension
    final CoreOnLibUsbFixture core = CoreOnLibUsbFixture.withoutUdevd();
    private final UsbTestbed testbed = core.testbed;
    private final MemoryRecorder recorder = core.recorder;

    @BeforeEach
    void start() {
        CountingDriver driver = new CountingDriver("counter", "RPT", CountingDriver.Fault.NONE);
        core.manager.addDriver(new DriverRef(driver, driver.name(), 0, new Version(1, 0, 0), 101));
    }

    @Test
    void replugStormWithoutUdevdTheCoreKeepsASteadyThirdDevicesSessionAndBindsEveryReplugAgain() throws Exception {
        CounterTwin steady = CounterTwin.keepingNewest("RPT-STEADY", PERIOD, DEPTH);
        testbed.plug(steady, 1, 1, 2);
        core.start("sysfs");
        await("the steady device delivers", () -> recorder.sampleCount(STEADY) >= 10);

        int address = 10;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int n = cycle;
            long t0 = System.nanoTime();
            int samplesA = recorder.sampleCount(A);
            int samplesB = recorder.sampleCount(B);
            EmulatedUsbDevice a = testbed.plug(CounterTwin.keepingNewest("RPT-A", PERIOD, DEPTH), 1, 2, address++);
            Thread.sleep(100);
            EmulatedUsbDevice b = testbed.plug(CounterTwin.keepingNewest("RPT-B", PERIOD, DEPTH), 1, 3, address++);
            await("A bound and delivering, plug " + n, () -> recorder.events(A, "driver.bound").size() >= n
                    && recorder.sampleCount(A) > samplesA);
            await("B bound and delivering, plug " + n, () -> recorder.events(B, "driver.bound").size() >= n
                    && recorder.sampleCount(B) > samplesB);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(t0 + TimeUnit.MILLISECONDS.toNanos(300)
                    - System.nanoTime())));
            testbed.unplug(a);
            Thread.sleep(100);
            testbed.unplug(b);
            await("A and B detached, plug " + n, () -> recorder.events(A, "device.detached").size() >= n
                    && recorder.events(B, "device.detached").size() >= n);
        }
        Thread.sleep(500);

        List<String> gaps = gaps(STEADY);
        System.out.printf("replug storm through the core: steady device %d samples, %d reports lost, gaps %s,"
                + " bound %d time(s); A bound %d times, B %d times%n", recorder.sampleCount(STEADY), steady.lost(),
                gaps, recorder.events(STEADY, "driver.bound").size(), recorder.events(A, "driver.bound").size(),
                recorder.events(B, "driver.bound").size());
        assertThat(recorder.events(STEADY, "device.detached")).as("the steady device detached").isEmpty();
        assertThat(recorder.events(STEADY, "driver.bound")).as("sessions of the steady device").hasSize(1);
        assertThat(recorder.events(STEADY, "session.failed")).isEmpty();
        assertThat(steady.lost()).as("reports the steady device made that nobody read").isZero();
        assertThat(gaps).as("gaps in the steady device's samples").isEmpty();
        assertThat(recorder.sampleCount(STEADY)).isGreaterThan(CYCLES * 300 / 20);
        assertThat(recorder.events(A, "device.attached")).as("arrivals of A, one per plug").hasSize(CYCLES);
        assertThat(recorder.events(B, "device.attached")).as("arrivals of B, one per plug").hasSize(CYCLES);
        // each plug was bound and delivered (awaited above); the core may also reopen a device that failed
        // as unplugged in the moment before its departure is reported
        assertThat(recorder.events(A, "driver.bound")).as("bindings of A").hasSizeGreaterThanOrEqualTo(CYCLES);
        assertThat(recorder.events(B, "driver.bound")).as("bindings of B").hasSizeGreaterThanOrEqualTo(CYCLES);
    }

    /** Where the counter the driver recorded jumps: "41 -> 57" for each value that did not follow the one before. */
    private List<String> gaps(String device) {
        List<String> gaps = new ArrayList<>();
        Double before = null;
        for (MemoryRecorder.Sample s : recorder.samples.get(device)) {
            if (before != null && s.value() != before + 1) {
                gaps.add(before.longValue() + " -> " + (long) s.value());
            }
            before = s.value();
        }
        return gaps;
    }
}
