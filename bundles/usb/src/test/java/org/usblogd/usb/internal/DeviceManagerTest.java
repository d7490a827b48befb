package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.usblogd.usb.internal.Await.await;
import static org.usblogd.usb.internal.Threads.liveThreads;
import static org.usblogd.usb.internal.Threads.sleep;

import java.lang.annotation.Annotation;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.sim.internal.VirtualBusBackend;
import org.usblogd.testing.counter.twin.CounterTwin;

/** The core on the virtual bus: binding, unplug and replug, release on every path, misbehaving drivers. */
class DeviceManagerTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);
    private final AtomicLong serviceIds = new AtomicLong(100);

    private MemoryRecorder recorder;
    private VirtualBusBackend bus;
    private DeviceManager manager;

    @BeforeEach
    void start() {
        recorder = new MemoryRecorder();
        bus = new VirtualBusBackend();
        manager = new DeviceManager(recorder, config());
        manager.activate();
        manager.bindBackend(bus);
    }

    @AfterEach
    void stop() throws InterruptedException {
        detach.forEach(Runnable::run);
        manager.deactivate();
        assertThat(liveThreads("usb-session-")).as("session threads after stop").isZero();
        assertThat(liveThreads("usb-device-manager")).as("manager thread after stop").isZero();
    }

    @Test
    void aPluggedDeviceIsBoundAndItsSamplesFlow() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();

        await("samples", () -> recorder.sampleCount(id) >= 10);
        assertThat(id).isEqualTo("1209:0010:CNT-1");
        assertThat(recorder.events(id, "driver.bound")).extracting(MemoryRecorder.Event::message)
                .containsExactly("counter: score 100: matched in code");
        assertThat(d.claimed(0)).isTrue();
        assertThat(d.kernelDriver(0)).as("kernel driver while claimed").isNull();
    }

    @Test
    void unplugMidReadEndsTheSessionAndClosesTheDevice() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", TimeUnit.MILLISECONDS.toNanos(200)));
        String id = d.info().identity().key();
        await("first sample", () -> recorder.sampleCount(id) >= 1);

        d.unplug(); // the session is blocked waiting for the next packet

        await("session closed", () -> driver.closes.get() == 1);
        await("device handle closed", () -> !d.isOpen());
        await("detached", () -> recorder.events(id, "device.detached").size() == 1);
        assertThat(liveThreads("usb-session-")).isZero();
    }

    @Test
    void aReplugKeepsTheIdentityAndLoggingResumes() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        int addressBefore = d.info().address();
        await("samples", () -> recorder.sampleCount(id) >= 5);

        d.replug();
        int afterReplug = recorder.sampleCount(id);

        assertThat(d.info().address()).isNotEqualTo(addressBefore);
        assertThat(d.info().identity().key()).isEqualTo(id);
        await("samples after replug", () -> recorder.sampleCount(id) >= afterReplug + 5);
        assertThat(recorder.events(id, "device.attached")).hasSize(2);
    }

    @Test
    void aDriverThatLeavesGivesTheInterfaceBackToTheKernelDriver() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        await("samples", () -> recorder.sampleCount(d.info().identity().key()) >= 5);

        manager.removeDriver(serviceIds.get());

        await("session closed", () -> driver.closes.get() == 1);
        await("device closed", () -> !d.isOpen());
        assertThat(d.claimed(0)).isFalse();
        assertThat(d.kernelDriver(0)).isEqualTo("usbhid");
    }

    @Test
    void stoppingTheCoreReleasesEveryDevice() throws InterruptedException {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice a = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        PluggedDevice b = bus.plug(CounterTwin.keepingEveryReport("CNT-2", PERIOD));
        await("both stream", () -> recorder.sampleCount(a.info().identity().key()) > 0
                && recorder.sampleCount(b.info().identity().key()) > 0);

        manager.deactivate();

        for (PluggedDevice d : new PluggedDevice[] { a, b }) {
            assertThat(d.isOpen()).isFalse();
            assertThat(d.claimed(0)).isFalse();
            assertThat(d.kernelDriver(0)).isEqualTo("usbhid");
        }
    }

    @Test
    void driversThatThrowDoNotStopTheCoreOrOtherDevices() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        CountingDriver badOpen = add(new CountingDriver("bad-open", "OPEN", CountingDriver.Fault.THROW_IN_OPEN));
        CountingDriver badPoll = add(new CountingDriver("bad-poll", "POLL", CountingDriver.Fault.THROW_IN_POLL));
        PluggedDevice good = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        PluggedDevice failsOpen = bus.plug(CounterTwin.keepingEveryReport("OPEN-1", PERIOD));
        PluggedDevice failsPoll = bus.plug(CounterTwin.keepingEveryReport("POLL-1", PERIOD));
        String goodId = good.info().identity().key();

        await("both faulty drivers retried", () -> badOpen.opens.get() >= 3 && badPoll.opens.get() >= 3);
        int before = recorder.sampleCount(goodId);
        await("the good device still streams", () -> recorder.sampleCount(goodId) >= before + 20);

        assertThat(recorder.events(failsOpen.info().identity().key(), "session.failed")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.message()).contains("driver bug in open"));
        assertThat(recorder.events(failsPoll.info().identity().key(), "session.failed")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.message()).contains("driver bug in poll"));
        await("failed sessions give the device back", () -> !failsOpen.isOpen() || "usbhid".equals(failsOpen.kernelDriver(0)));
        assertThat(good.claimed(0)).isTrue();
    }

    @Test
    void theBestScoringDriverWinsAndANewerVersionBreaksATie() {
        CountingDriver old = new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE);
        CountingDriver newer = new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE);
        manager.addDriver(new DriverRef(old, "counter", 0, new Version(1, 0, 0), serviceIds.incrementAndGet()));
        manager.addDriver(new DriverRef(newer, "counter", 0, new Version(1, 1, 0), serviceIds.incrementAndGet()));

        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));

        await("samples", () -> recorder.sampleCount(d.info().identity().key()) > 0);
        assertThat(newer.opens.get()).isEqualTo(1);
        assertThat(old.opens.get()).isZero();
    }

    @Test
    void aNewerVersionTakesOverABoundDeviceAndRemovingItRollsBack() {
        CountingDriver old = new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE);
        CountingDriver newer = new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE);
        manager.addDriver(new DriverRef(old, "counter", 0, new Version(1, 0, 0), serviceIds.incrementAndGet()));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        await("samples from 1.0.0", () -> recorder.sampleCount(id) >= 5);

        long newerId = serviceIds.incrementAndGet();
        manager.addDriver(new DriverRef(newer, "counter", 0, new Version(1, 1, 0), newerId));
        await("1.1.0 took over", () -> newer.opens.get() == 1 && old.closes.get() == 1);
        int before = recorder.sampleCount(id);
        await("samples from 1.1.0", () -> recorder.sampleCount(id) >= before + 5);

        manager.removeDriver(newerId);
        await("rolled back to 1.0.0", () -> old.opens.get() == 2);
        int after = recorder.sampleCount(id);
        await("samples from 1.0.0 again", () -> recorder.sampleCount(id) >= after + 5);
    }

    @Test
    void aSessionThatDoesNotStopIsAbandonedAndTheDeviceResetAndBoundAgain() {
        CountingDriver hanging = add(new CountingDriver("hangs", "CNT", CountingDriver.Fault.HANG_IN_CLOSE));
        long hangingId = serviceIds.get();
        try {
            CounterTwin model = CounterTwin.keepingEveryReport("CNT-1", PERIOD);
            PluggedDevice d = bus.plug(model);
            String id = d.info().identity().key();
            await("samples", () -> recorder.sampleCount(id) >= 5);
            int resetsAtPlug = model.resets(); // the bus resets a device as it plugs it
            CountingDriver replacement = new CountingDriver("replacement", "CNT", CountingDriver.Fault.NONE);
            manager.addDriver(new DriverRef(replacement, "replacement", -1, new Version(1, 0, 0),
                    serviceIds.incrementAndGet()));

            manager.removeDriver(hangingId); // its session hangs in close()

            await("abandoned", () -> !recorder.events(id, "session.abandoned").isEmpty());
            assertThat(recorder.events(id, "session.abandoned").get(0).message()).contains("did not stop within");
            await("bound again", () -> replacement.opens.get() == 1);
            assertThat(model.resets()).as("device reset before the new session").isGreaterThan(resetsAtPlug);
            int before = recorder.sampleCount(id);
            await("samples from the replacement", () -> recorder.sampleCount(id) >= before + 5);
        } finally {
            hanging.releaseHang.countDown();
        }
    }

    @Test
    void anAbandonedSessionThatWakesUpLaterStoresNothingNextToItsReplacement() throws InterruptedException {
        CountingDriver hanging = add(new CountingDriver("hangs", "CNT", CountingDriver.Fault.HANG_IN_CLOSE_THEN_WRITE));
        long hangingId = serviceIds.get();
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        await("samples", () -> recorder.sampleCount(id) >= 5);
        add(new CountingDriver("replacement", "CNT", CountingDriver.Fault.NONE));
        manager.removeDriver(hangingId);
        await("abandoned", () -> !recorder.events(id, "session.abandoned").isEmpty());
        int before = recorder.sampleCount(id);
        await("samples from the replacement", () -> recorder.sampleCount(id) >= before + 5);

        hanging.releaseHang.countDown(); // the hung driver wakes up and writes

        assertThat(hanging.wroteAfterHang.await(5, TimeUnit.SECONDS)).isTrue();
        sleep(100);
        assertThat(recorder.samples.get(id)).as("nothing from the abandoned session").noneMatch(s -> s.value() == -1);
    }

    @Test
    void aDeviceThatFailsOnceInAWhileIsNotPunishedWithGrowingPauses() throws InterruptedException {
        manager.deactivate();
        manager = new DeviceManager(recorder, config(60_000, 60_000, false, 200));
        manager.activate();
        manager.bindBackend(bus);
        add(new CountingDriver("flaky", "CNT", CountingDriver.Fault.USB_ERROR_EVERY_60TH_POLL));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD)); // 60 polls: about 300 ms, healthy after 200
        String id = d.info().identity().key();

        await("five failures", () -> recorder.events(id, "session.failed").size() >= 5);

        assertThat(recorder.events(id, "recovery.reset")).isEmpty();
        assertThat(recorder.events(id, "recovery.back-off")).isEmpty();
        assertThat(recorder.events(id, "recovery.reopen")).extracting(MemoryRecorder.Event::message)
                .allSatisfy(m -> assertThat(m).startsWith("1 failure(s) in a row"));
    }

    @Test
    void aDeviceThatFallsSilentIsReopenedTwiceThenResetThenReportedAndIsWelcomedBackWhenItSpeaks()
            throws InterruptedException {
        manager.deactivate();
        manager = new DeviceManager(recorder, config(300, 1_000, true));
        manager.activate();
        manager.bindBackend(bus);
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        CounterTwin model = CounterTwin.keepingEveryReport("CNT-1", PERIOD);
        PluggedDevice d = bus.plug(model);
        String id = d.info().identity().key();
        await("samples teach the period", () -> recorder.sampleCount(id) >= 50);
        int resetsAtPlug = model.resets(); // the bus resets a device as it plugs it
        assertThat(manager.health().healthy()).isTrue();
        assertThat(manager.health().figures()).containsEntry("stale", "");

        model.silence(true);

        await("reopen, reopen, reset, give up", () -> recorder.events(id, "device.stale").size() == 4);
        assertThat(recorder.events(id, "device.stale")).extracting(MemoryRecorder.Event::message).satisfiesExactly(
                m -> assertThat(m).matches("stale: nothing delivered for \\d+ ms \\(period about [3-7] ms,"
                        + " limit 300 ms\\); reopening it"),
                m -> assertThat(m).startsWith("still stale: nothing delivered").endsWith("reopening it"),
                m -> assertThat(m).startsWith("still stale after reopening:").endsWith("resetting it"),
                m -> assertThat(m).startsWith("still stale after reopening and resetting:")
                        .endsWith("watchdog keep-alives stop so that systemd restarts the daemon"));
        assertThat(model.resets()).as("the device reset after two reopens").isGreaterThan(resetsAtPlug);
        await("unhealthy", () -> !manager.health().healthy());
        assertThat(manager.health().figures()).containsEntry("stale", id);
        assertThat(manager.health().status()).isEqualTo("still stale after reopen and reset: " + id);
        assertThat(d.claimed(0)).as("still bound, in case it comes back").isTrue();

        model.silence(false);

        await("recovered", () -> recorder.events(id, "device.recovered").size() == 1);
        assertThat(recorder.events(id, "device.recovered").get(0).message())
                .isEqualTo("delivering again after reopen and reset did not help");
        await("healthy again", () -> manager.health().healthy());
        assertThat(manager.health().figures()).containsEntry("stale", "");
    }

    @Test
    void aSlowDeviceIsNotStaleWithinItsOwnRhythm() throws InterruptedException {
        manager.deactivate();
        manager = new DeviceManager(recorder, config(100, 1_000, true));
        manager.activate();
        manager.bindBackend(bus);
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", TimeUnit.MILLISECONDS.toNanos(60)));
        String id = d.info().identity().key();

        await("two seconds of samples", () -> recorder.sampleCount(id) >= 30);

        assertThat(recorder.events(id, "device.stale")).isEmpty();
    }

    @Test
    void aDeviceNoDriverTakesIsNotRecordedAgainEachTimeAnotherDriverComesOrGoes() {
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("NONE-1", PERIOD));
        String id = d.info().identity().key();
        await("no driver recorded", () -> recorder.events(id, "driver.none").size() == 1);

        // as at every stop of the daemon, when the plugins' drivers leave one by one
        for (int i = 0; i < 16; i++) {
            CountingDriver other = add(new CountingDriver("other-" + i, "CNT", CountingDriver.Fault.NONE));
            sleep(20);
            manager.removeDriver(serviceIds.get());
            sleep(20);
            assertThat(other.opens.get()).isZero();
        }
        sleep(300);

        assertThat(recorder.events(id, "driver.none")).hasSize(1);
    }

    @Test
    void aDeviceNoDriverTakesLeavesTheManagerWaitingForAChangeInsteadOfMatchingItAgainEveryMillisecond() {
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        await("no driver recorded", () -> recorder.events(id, "driver.none").size() == 1);

        long before = manager.health().progress();
        sleep(1_500);
        long rounds = manager.health().progress() - before;

        // with nothing due the manager wakes at least once a second (its progress is the watchdog's sign of
        // life) and otherwise on an event; a device left idle once made it poll every millisecond
        assertThat(rounds).as("the manager's rounds in 1.5 s with an idle device").isBetween(1L, 5L);
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        await("bound as soon as a driver comes", () -> recorder.sampleCount(id) > 0);
    }

    @Test
    void aDeviceNoDriverTakesIsRecordedOnceWithTheReason() {
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();

        await("no driver recorded", () -> recorder.events(id, "driver.none").size() == 1);
        sleep(300);

        assertThat(recorder.events(id, "driver.none")).extracting(MemoryRecorder.Event::message).containsExactly(
                "no installed driver takes 1209:0010 (Counter twin): no match row fits");
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        await("bound once a driver comes", () -> recorder.sampleCount(id) > 0);
    }

    @Test
    void deviceSettingsApplyWhileRunning() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        PluggedDevice other = bus.plug(CounterTwin.keepingEveryReport("CNT-2", PERIOD));
        String id = d.info().identity().key();
        await("samples", () -> recorder.sampleCount(id) >= 5);

        DeviceConfiguration renamed = configuration(java.util.Map.of("device", "1209:0010", "poll.ms", "250",
                "channel.count", "ticks"));
        manager.bindConfiguration(renamed);

        await("renamed channel", () -> recorder.samples.get(id).stream().anyMatch(s -> s.channel().equals("ticks")));
        assertThat(driver.lastSettings.pollMillis(1_000)).isEqualTo(250);

        DeviceConfiguration off = configuration(java.util.Map.of("device", id, "enabled", "false"));
        manager.bindConfiguration(off);

        await("session ended", () -> !d.isOpen());
        await("disabled recorded", () -> recorder.events(id, "device.disabled").size() == 1);
        assertThat(d.kernelDriver(0)).as("given back to the kernel").isEqualTo("usbhid");
        int otherBefore = recorder.sampleCount(other.info().identity().key());
        await("the other device goes on", () -> recorder.sampleCount(other.info().identity().key()) > otherBefore);

        manager.unbindConfiguration(off);

        int before = recorder.sampleCount(id);
        await("enabled again", () -> recorder.sampleCount(id) > before);
    }

    private static DeviceConfiguration configuration(java.util.Map<String, Object> properties) {
        return new DeviceConfiguration(properties);
    }

    @Test
    void twoConfigurationFilesWhoseMatchKeysTakeTheSameDeviceAreOneEventNamingBothFilesAndTheDevice() {
        CountingDriver a = configured("serial/a", "file:/etc/usblogd/org.usblogd.serial-a.cfg");
        configured("serial/b", "file:/etc/usblogd/org.usblogd.serial-b.cfg");
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();

        await("samples", () -> recorder.sampleCount(id) >= 5);
        assertThat(recorder.events(id, "config.overlap")).extracting(MemoryRecorder.Event::message).containsExactly(
                "/etc/usblogd/org.usblogd.serial-" + (a.opens.get() > 0 ? "a" : "b") + ".cfg and /etc/usblogd/"
                        + "org.usblogd.serial-" + (a.opens.get() > 0 ? "b" : "a") + ".cfg all match " + id
                        + " (1209:0010); serial/" + (a.opens.get() > 0 ? "a" : "b") + " from the first drives it:"
                        + " narrow the others (match.serial, match.port) or remove them");

        d.replug();
        await("samples after replug", () -> recorder.events(id, "device.attached").size() == 2);
        assertThat(recorder.events(id, "config.overlap")).as("said once per device").hasSize(1);
    }

    /** A driver configured by a file, as serial and hid drivers are: its match row from the file, scoring 200. */
    private CountingDriver configured(String name, String file) {
        CountingDriver d = new CountingDriver(name, "CNT", CountingDriver.Fault.NONE);
        manager.addDriver(new DriverRef(d, name, 0, new Version(1, 0, 0), serviceIds.incrementAndGet(),
                java.util.List.of(org.usblogd.api.config.DriverFile.match(name, java.util.Map.of("match.vid", "1209",
                        "match.pid", "0010")).orElseThrow()),
                java.util.Map.of("felix.fileinstall.filename", file)));
        return d;
    }

    @Test
    void aBadEditOfTheCoresFileIsOneLineAndNoSessionEnds() {
        CountingDriver driver = add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        await("samples", () -> recorder.sampleCount(id) >= 5);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = listen();

        manager.modified(java.util.Map.of("stale.min.ms", "30s", "stale.restart", "yes",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.usb.cfg"));
        manager.modified(java.util.Map.of("retry.initial.ms", "500", "stale.restartt", "true"));

        int before = recorder.sampleCount(id);
        await("samples go on", () -> recorder.sampleCount(id) >= before + 20);
        assertThat(driver.opens.get()).as("the session never ended").isEqualTo(1);
        assertThat(logged.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
                "ERROR /etc/usblogd/org.usblogd.usb.cfg: stale.min.ms = 30s is not valid: expected a whole number from"
                        + " 100 to 86400000; the USB core keeps running on its last good configuration",
                "ERROR /etc/usblogd/org.usblogd.usb.cfg: stale.restart = yes is not valid: expected true or false;"
                        + " the USB core keeps running on its last good configuration",
                "WARN configuration (no file): unknown key stale.restartt = true is ignored (the nearest known key is"
                        + " stale.restart)");
    }

    @Test
    void aDeviceFileSayingEnabledYesIsOneLineAndLeavesTheDeviceEnabledRatherThanSilentlyOff() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = listen();

        DeviceConfiguration file = configuration(java.util.Map.of("device", id, "enabled", "yes",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-x.cfg"));
        manager.bindConfiguration(file);

        await("samples", () -> recorder.sampleCount(id) >= 5);
        assertThat(recorder.events(id, "device.disabled")).isEmpty();
        file.modified(java.util.Map.of("device", id, "enabled", "no"));
        assertThat(file.enabled()).as("a bad edit changes nothing").isTrue();
        file.modified(java.util.Map.of("device", id, "enabled", "False"));
        assertThat(file.enabled()).isFalse();
        assertThat(logged.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                "/etc/usblogd/org.usblogd.device-x.cfg: enabled = yes is not valid: expected true or false; its"
                        + " default is used until the file is corrected",
                "configuration (no file): enabled = no is not valid: expected true or false; the device settings"
                        + " stay as they were");
    }

    @Test
    void aDeviceFileThatNamesNoDeviceIsOneLineAppliesToNoneAndTakesEffectOnceItNamesOne() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = listen();
        String url = "file:/etc/usblogd/org.usblogd.device-x.cfg";

        DeviceConfiguration file = configuration(java.util.Map.of("enabled", "false", "felix.fileinstall.filename",
                url));
        DeviceConfiguration other = configuration(java.util.Map.of("device", " ", "felix.fileinstall.filename",
                "file:/etc/usblogd/org.usblogd.device-y.cfg"));
        manager.bindConfiguration(file);
        manager.bindConfiguration(other);
        await("samples", () -> recorder.sampleCount(id) >= 5);
        assertThat(file.specificity(d.info().identity())).isZero();

        file.modified(java.util.Map.of("device", id, "enabled", "false", "felix.fileinstall.filename", url));
        assertThat(file.specificity(d.info().identity())).isEqualTo(2);
        file.modified(java.util.Map.of("enabled", "true", "felix.fileinstall.filename", url));
        assertThat(file.enabled()).as("an edit that drops the device changes nothing").isFalse();
        assertThat(logged.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                "/etc/usblogd/org.usblogd.device-x.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid; the file applies to no device until then",
                "/etc/usblogd/org.usblogd.device-y.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid; the file applies to no device until then",
                "/etc/usblogd/org.usblogd.device-x.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid; the device settings stay as they were");
    }

    @Test
    void deviceFilesAsConfigurationAdminDeliversThemApplyChangeAndGoAndOneNamingNoDeviceIsOneLine() {
        add(new CountingDriver("counter", "CNT", CountingDriver.Fault.NONE));
        PluggedDevice d = bus.plug(CounterTwin.keepingEveryReport("CNT-1", PERIOD));
        String id = d.info().identity().key();
        await("samples", () -> recorder.sampleCount(id) >= 5);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = listen();
        DeviceFiles files = new DeviceFiles(manager, DeviceSettingsRules::new);

        files.updated("org.usblogd.device.x", new java.util.Hashtable<>(java.util.Map.of("device", id,
                "enabled", "false", "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-x.cfg")));
        await("disabled by the file", () -> recorder.events(id, "device.disabled").size() == 1);
        await("session ended", () -> !d.isOpen());

        files.updated("org.usblogd.device.x", new java.util.Hashtable<>(java.util.Map.of("device", id,
                "enabled", "true", "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-x.cfg")));
        int afterEdit = recorder.sampleCount(id);
        await("enabled by the edit", () -> recorder.sampleCount(id) > afterEdit);

        files.updated("org.usblogd.device.y", new java.util.Hashtable<>(java.util.Map.of("poll.ms", "200",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-y.cfg")));
        files.updated("org.usblogd.device.x", new java.util.Hashtable<>(java.util.Map.of("enabled", "false",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-x.cfg")));
        assertThat(logged.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                "/etc/usblogd/org.usblogd.device-y.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid; the file applies to no device until then",
                "/etc/usblogd/org.usblogd.device-x.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid; the device settings stay as they were");
        int afterBadEdits = recorder.sampleCount(id);
        await("still logging: the bad edit changed nothing", () -> recorder.sampleCount(id) > afterBadEdits);

        files.updated("org.usblogd.device.x", new java.util.Hashtable<>(java.util.Map.of("device", id,
                "enabled", "false", "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-x.cfg")));
        await("disabled again", () -> recorder.events(id, "device.disabled").size() == 2);
        files.deleted("org.usblogd.device.x");
        int afterDelete = recorder.sampleCount(id);
        await("the file deleted, the device logs again", () -> recorder.sampleCount(id) > afterDelete);
    }

    @Test
    void twoDeviceFilesForTheSameDeviceAreOneLineNamingBoth() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = listen();

        manager.bindConfiguration(configuration(java.util.Map.of("device", "16c0:05dc", "poll.ms", "200",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-a.cfg")));
        manager.bindConfiguration(configuration(java.util.Map.of("device", "16C0:05DC ", "poll.ms", "500",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-b.cfg")));
        manager.bindConfiguration(configuration(java.util.Map.of("device", "16c0:05dc@1-2",
                "felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.device-c.cfg")));

        assertThat(logged.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                "/etc/usblogd/org.usblogd.device-b.cfg and /etc/usblogd/org.usblogd.device-a.cfg both configure"
                        + " device 16c0:05dc; where both set a key, either may win: keep one of them");
    }

    private final java.util.List<Runnable> detach = new java.util.ArrayList<>();

    /** What the core and the device files log from now on, until the test ends. */
    private ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> listen() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> list =
                new ch.qos.logback.core.read.ListAppender<>();
        list.start();
        for (Class<?> c : new Class<?>[] { DeviceManager.class, DeviceConfiguration.class, DeviceFiles.class }) {
            ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(c);
            ch.qos.logback.core.filter.Filter<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
                    new ch.qos.logback.core.filter.Filter<>() {
                        @Override
                        public ch.qos.logback.core.spi.FilterReply decide(
                                ch.qos.logback.classic.spi.ILoggingEvent e) {
                            return e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                                    ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                                    : ch.qos.logback.core.spi.FilterReply.DENY;
                        }
                    };
            list.addFilter(warnings);
            l.addAppender(list);
            detach.add(() -> l.detachAppender(list));
        }
        return list;
    }

    private CountingDriver add(CountingDriver d) {
        manager.addDriver(new DriverRef(d, d.name(), 0, new Version(1, 0, 0), serviceIds.incrementAndGet()));
        return d;
    }

    static DeviceManager.Config config() {
        return config(60_000, 60_000, false);
    }

    static DeviceManager.Config config(long staleMinMs, long staleFirstMs, boolean staleRestart) {
        return config(staleMinMs, staleFirstMs, staleRestart, 10_000);
    }

    static DeviceManager.Config config(long staleMinMs, long staleFirstMs, boolean staleRestart, long healthyMs) {
        return config(staleMinMs, staleFirstMs, staleRestart, healthyMs, 1_000);
    }

    static DeviceManager.Config config(long staleMinMs, long staleFirstMs, boolean staleRestart, long healthyMs,
            long swapGraceMs) {
        return new DeviceManager.Config() {
            @Override
            public long stale_multiple() {
                return 10;
            }

            @Override
            public long stale_min_ms() {
                return staleMinMs;
            }

            @Override
            public long stale_first_ms() {
                return staleFirstMs;
            }

            @Override
            public boolean stale_restart() {
                return staleRestart;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return DeviceManager.Config.class;
            }

            @Override
            public long retry_initial_ms() {
                return 50;
            }

            @Override
            public long retry_max_ms() {
                return 200;
            }

            @Override
            public long session_stop_timeout_ms() {
                return 3_000;
            }

            @Override
            public long recovery_healthy_ms() {
                return healthyMs;
            }

            @Override
            public long swap_grace_ms() {
                return swapGraceMs;
            }

            @Override
            public long swap_buffer_bytes() {
                return 1_048_576;
            }
        };
    }
}
