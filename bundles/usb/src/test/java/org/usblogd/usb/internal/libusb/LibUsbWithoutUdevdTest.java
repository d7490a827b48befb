package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.usblogd.usb.internal.Await.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.usblogd.api.health.Health;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.testing.counter.twin.CounterTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The real libusb stack on a system without udevd, where the sysfs watcher follows devices and each
 * generation of arrivals gets a libusb context of its own: devices plugged and unplugged in quick
 * succession while others keep streaming, contexts exited when their devices are gone, devices the kernel
 * is still enumerating looked for again.
 */
@Timeout(180)
class LibUsbWithoutUdevdTest {
    /** 50 reports a second, of which the device keeps the newest 10: a reader stopped for 200 ms loses some. */
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int DEPTH = 10;
    private static final int CYCLES = 25;

    @RegisterExtension
    final LibUsbFixture usb = LibUsbFixture.withoutUdevd();
    private final UsbTestbed testbed = usb.testbed;
    private final LibUsbBackend backend = usb.backend;
    private final RecordingListener listener = usb.listener;
    private final ReadingSessions sessions = new ReadingSessions();

    /** What the core does as it stops, before the fixture stops the backend. */
    @AfterEach
    void leave() {
        backend.stop(sessions);
        sessions.leaveAll();
    }

    @Test
    void replugStormWithoutUdevdASteadyThirdDeviceLosesNothing() throws Exception {
        CounterTwin steady = CounterTwin.keepingNewest("STEADY", PERIOD, DEPTH);
        testbed.plug(steady, 1, 1, 2);
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(sessions);
        sessions.awaitReading("STEADY", 1);
        CounterTwin late = CounterTwin.keepingNewest("LATE", PERIOD, DEPTH);
        long fds = openFileDescriptors();

        int address = 10;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            long t0 = System.nanoTime();
            EmulatedUsbDevice a = testbed.plug(CounterTwin.keepingNewest("STORM-A", PERIOD, DEPTH), 1, 2, address++);
            if (cycle == 1) {
                // arrives with A, so that A's departures are felt by a device of A's own generation too
                testbed.plug(late, 1, 4, 3);
            }
            Thread.sleep(100);
            EmulatedUsbDevice b = testbed.plug(CounterTwin.keepingNewest("STORM-B", PERIOD, DEPTH), 1, 3, address++);
            sessions.awaitReading("STORM-A", cycle);
            sessions.awaitReading("STORM-B", cycle);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(t0 + TimeUnit.MILLISECONDS.toNanos(300)
                    - System.nanoTime())));
            testbed.unplug(a);
            Thread.sleep(100);
            testbed.unplug(b);
            sessions.awaitEnded("STORM-A", cycle);
            sessions.awaitEnded("STORM-B", cycle);
        }
        Thread.sleep(500);
        // every session of A and B has ended: the harness lets their nodes go (umockdev closes its side of
        // them on its own thread, so give it a moment), and what is left is ours
        testbed.detachUnplugged();
        long moreFds = openFileDescriptors() - fds;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); moreFds >= 30
                && System.nanoTime() < deadline; moreFds = openFileDescriptors() - fds) {
            Thread.sleep(50);
        }
        System.out.printf("replug storm: steady device %d reports read, %d lost, %d session(s), gaps %s; the one"
                + " that came with A %d read, %d lost, %d session(s); A and B %d + %d sessions; libusb contexts"
                + " created %d, exited %d, alive %d; %d more file descriptors%n", sessions.reports("STEADY").size(),
                steady.lost(), sessions.sessions("STEADY").size(), sessions.gaps("STEADY"),
                sessions.reports("LATE").size(), late.lost(), sessions.sessions("LATE").size(),
                sessions.sessions("STORM-A").size(), sessions.sessions("STORM-B").size(), backend.contextsCreated(),
                backend.contextsExited(), backend.contexts().size(), moreFds);
        assertThat(sessions.problems).isEmpty();
        assertThat(sessions.departures).as("departures reported").doesNotContain("STEADY", "LATE");
        assertThat(sessions.sessions("STEADY")).as("sessions of the steady device").hasSize(1);
        assertThat(sessions.sessions("LATE")).as("sessions of the device that came with A").hasSize(1);
        assertThat(sessions.gaps("STEADY")).as("gaps in the steady device's reports").isEmpty();
        assertThat(sessions.gaps("LATE")).as("gaps in the reports of the device that came with A").isEmpty();
        assertThat(steady.lost()).as("reports the steady device made that nobody read").isZero();
        assertThat(late.lost()).as("reports the device that came with A made that nobody read").isZero();
        assertThat(sessions.reports("STEADY")).hasSizeGreaterThan(CYCLES * 300 / 20);
        assertThat(sessions.sessions("STORM-A")).as("sessions of A, one per plug").hasSize(CYCLES);
        assertThat(sessions.sessions("STORM-B")).as("sessions of B, one per plug").hasSize(CYCLES);
        assertThat(sessions.sessions("STORM-A")).allSatisfy(s -> assertThat(s.reports).isNotEmpty());
        assertThat(sessions.sessions("STORM-B")).allSatisfy(s -> assertThat(s.reports).isNotEmpty());
        assertThat(backend.contexts()).as("the anchor and the context LATE came in").hasSize(2);
        assertThat(backend.contextsExited()).isEqualTo(backend.contextsCreated() - 2);
        // each context keeps three while it lives: 48 contexts not exited would show here
        assertThat(moreFds).as("file descriptors more than before the storm").isLessThan(30);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void extraContextsAreExitedWhenTheirDevicesLeaveAndNothingOutlivesTheBackend() throws Exception {
        testbed.plug(CounterTwin.keepingNewest("STEADY", PERIOD, DEPTH), 1, 1, 2);
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(sessions);
        sessions.awaitReading("STEADY", 1);
        EmulatedUsbDevice a = testbed.plug(CounterTwin.keepingNewest("A", PERIOD, DEPTH), 1, 2, 10);
        sessions.awaitReading("A", 1);
        EmulatedUsbDevice b = testbed.plug(CounterTwin.keepingNewest("B", PERIOD, DEPTH), 1, 3, 11);
        sessions.awaitReading("B", 1);
        testbed.plug(CounterTwin.keepingNewest("C", PERIOD, DEPTH), 1, 4, 12);
        sessions.awaitReading("C", 1);

        assertThat(backend.contextsCreated()).as("the anchor and one context per arrival").isEqualTo(4);
        assertThat(backend.eventThreads()).extracting(LibUsbEventThread::name).containsExactly(
                "usb-libusb-events", "usb-libusb-events-2", "usb-libusb-events-3", "usb-libusb-events-4");
        assertThat(backend.health().healthy()).isTrue();
        assertThat(backend.health().status()).isEqualTo("libusb events ok (4 context(s))");

        testbed.unplug(b);
        await("B's context exited", () -> backend.contextsExited() == 1);
        testbed.unplug(a);
        await("A's context exited", () -> backend.contextsExited() == 2);

        assertThat(backend.contexts()).extracting(LibUsbContext::number).containsExactly(1, 4);
        assertThat(LibUsbHotplugTest.threads("usb-libusb-events-2")).isZero();
        assertThat(LibUsbHotplugTest.threads("usb-libusb-events-3")).isZero();
        assertThat(sessions.sessions("STEADY")).hasSize(1);
        assertThat(sessions.gaps("STEADY")).isEmpty();

        backend.stop(sessions);
        sessions.leaveAll();
        backend.deactivate();

        assertThat(backend.contexts()).isEmpty();
        assertThat(backend.contextsExited()).as("every context, the anchor last").isEqualTo(4);
        assertThat(LibUsbHotplugTest.threads("usb-libusb-")).isZero();
    }

    @Test
    void devicesThatArriveTogetherShareAContextThatLastsUntilTheLastOfThemLeaves() throws Exception {
        LibUsbHarness.activate(backend, "sysfs", 500);
        backend.start(sessions);
        EmulatedUsbDevice x = testbed.plug(CounterTwin.keepingNewest("X", PERIOD, DEPTH), 1, 2, 10);
        testbed.plug(CounterTwin.keepingNewest("Y", PERIOD, DEPTH), 1, 3, 11);
        sessions.awaitReading("X", 1);
        sessions.awaitReading("Y", 1);
        LibUsbContext home = ((LibUsbDevice) sessions.sessions("X").get(0).device).home();
        // plugged a few milliseconds apart, a poll of the watcher between the two is possible but rare
        assumeTrue(home == ((LibUsbDevice) sessions.sessions("Y").get(0).device).home(), "X and Y seen in one poll");
        assertThat(backend.contextsCreated()).isEqualTo(2);

        testbed.unplug(x);
        sessions.awaitEnded("X", 1);
        int read = sessions.reports("Y").size();
        Thread.sleep(700);

        assertThat(home.exited()).as("the context of X, still holding Y").isFalse();
        assertThat(sessions.reports("Y").size()).as("Y's reports after X left").isGreaterThan(read + 20);
        assertThat(sessions.gaps("Y")).isEmpty();
        assertThat(sessions.sessions("Y")).hasSize(1);
    }

    @Test
    void aDeviceTheKernelIsStillEnumeratingIsLookedForAgainWithFreshContexts() throws Exception {
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(listener);
        EmulatedUsbDevice d = testbed.plugStillEnumerating(new CompositeModel("CT-0003", PERIOD), 1, 2, 5);
        await("two looks, each in a context of its own that found nothing", () -> backend.contextsExited() >= 2);
        assertThat(listener.present).isEmpty();

        testbed.finishEnumeration(d);

        BackendDevice found = listener.awaitArrival();
        assertThat(found.info().serialNumber()).isEqualTo("CT-0003");
        assertThat(backend.contexts()).hasSize(2);
        assertThat(backend.contextsExited()).isEqualTo(backend.contextsCreated() - 2);
    }

    @Test
    void aDeviceLibusbNeverListsIsGivenUpWithOneLogLineAfterAFewFreshContexts() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LibUsbBackend.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            LibUsbHarness.activate(backend, "sysfs");
            backend.start(listener);
            testbed.plugStillEnumerating(new CompositeModel("CT-0004", PERIOD), 1, 2, 5);

            await("every look taken", () -> backend.contextsCreated() == 1 + LibUsbBackend.LOOKS);
            Thread.sleep(3_500); // longer than the last pause between looks

            assertThat(backend.contextsCreated()).isEqualTo(1 + LibUsbBackend.LOOKS);
            assertThat(backend.contextsExited()).isEqualTo(LibUsbBackend.LOOKS);
            assertThat(listener.present).isEmpty();
            List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).singleElement().asString().contains("1-2", "bus 1, address 5",
                    "ignored until it is plugged in again");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void theHealthCheckWatchesTheEventThreadOfEveryContext() throws Exception {
        testbed.plug(new CompositeModel("CT-0001", PERIOD), 1, 1, 2);
        LibUsbHarness.activate(backend, "sysfs");
        backend.start(listener);
        listener.awaitArrival();
        testbed.plug(new CompositeModel("CT-0002", PERIOD), 1, 2, 3);
        listener.awaitArrival();
        Health before = backend.health();
        Thread.sleep(1_100);
        Health healthy = backend.health();
        assertThat(healthy.progress()).isNotEqualTo(before.progress());
        assertThat(healthy.healthy()).isTrue();
        assertThat(healthy.status()).isEqualTo("libusb events ok (2 context(s))");

        backend.eventThreads().get(1).stop(); // as if it had died for good, the anchor's going on

        Thread.sleep(1_100);
        Health stopped = backend.health();
        Thread.sleep(1_100);
        Health later = backend.health();
        assertThat(later.healthy()).isFalse();
        assertThat(later.status()).isEqualTo("libusb event thread(s) not running: usb-libusb-events-2");
        assertThat(later.progress()).as("progress with one event thread stopped").isEqualTo(stopped.progress());
    }
}
