package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.store.jdbc.DeviceListing;
import org.usblogd.store.jdbc.DeviceListing.State;
import org.usblogd.store.jdbc.EventLog;

/**
 * What {@code usblogd events} and {@code usblogd devices} read, written by the store's own writer into a
 * real H2 file: events in commit order and by filter, and each device's newest sample, channels and state.
 */
class CommandLineQueriesTest extends OnStoreFile {
    private static final String CO2 = "04d9:a052@1-1";
    private static final String TEMPER = "413d:2107@1-2";

    @Test
    void eventsComeBackInCommitOrderByDeviceKindAndTimeAndAfterTheLastOneSeen() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10_000, 100, 50, 200);
        writer.start();
        writer.attached(CO2, info(CO2), "virtual", T0);
        writer.event(CO2, "device.attached", "co2");
        writer.event(null, "plugin.broken", "broken.jar: no manifest");
        Thread.sleep(5);
        writer.event(CO2, "decode.bad", "checksum 0x12, expected 0x13");
        writer.event(null, "clock.step", "the wall clock stepped back 5 s");
        assertThat(writer.stop(20_000)).isTrue();

        EventLog log = new EventLog(ds);
        List<StoredEvent> all = read(log, new EventLog.Filter(null, null, null, 0));
        assertThat(all).extracting(e -> e.device() + " " + e.kind()).containsExactly(CO2 + " device.attached",
                "null plugin.broken", CO2 + " decode.bad", "null clock.step");
        assertThat(all).extracting(StoredEvent::id).isSorted();
        assertThat(read(log, new EventLog.Filter(CO2, null, null, 0))).extracting(StoredEvent::kind)
                .containsExactly("device.attached", "decode.bad");
        assertThat(read(log, new EventLog.Filter(null, "decode.bad", null, 0))).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("checksum 0x12, expected 0x13"));
        assertThat(read(log, new EventLog.Filter(null, null, all.get(2).timeMicros(), 0)))
                .extracting(StoredEvent::kind).containsExactly("decode.bad", "clock.step");

        // a follower that saw the first two gets exactly the two committed after them, then nothing
        EventLog.Filter seen = new EventLog.Filter(null, null, null, all.get(1).id());
        List<StoredEvent> more = new ArrayList<>();
        long last = log.read(seen, more::add);
        assertThat(more).extracting(StoredEvent::kind).containsExactly("decode.bad", "clock.step");
        assertThat(last).isEqualTo(all.get(3).id());
        assertThat(read(log, seen.after(last))).isEmpty();

        assertThat(log.kinds()).containsExactly("clock.step", "decode.bad", "device.attached", "plugin.broken");
        assertThat(log.devices()).containsExactly(CO2);
    }

    @Test
    void aDeviceIsLastSeenAtItsNewestSampleAndListsItsChannelsWithTheirUnits() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10_000, 100, 50, 200);
        writer.start();
        writer.attached(CO2, info(CO2), "virtual", T0);
        writer.driverBound(CO2, "co2mon");
        writer.event(CO2, "driver.bound", "co2mon: score 100");
        RecorderSink sink = new RecorderSink(CO2, writer);
        sink.declare(new Channel("co2", "ppm", "co2"));
        sink.declare(new Channel("temperature", "°C", "temperature"));
        for (int i = 0; i < 30; i++) {
            sink.accept("co2", T0 + i * 1_000_000L, 400 + i);
        }
        sink.accept("temperature", T0 + 45_000_000L, 21.5);
        writer.attached(TEMPER, info(TEMPER), "virtual", T0);
        assertThat(writer.stop(20_000)).isTrue();

        List<DeviceListing.Device> devices = new DeviceListing(ds).devices();
        assertThat(devices).extracting(DeviceListing.Device::device).containsExactly(CO2, TEMPER);
        DeviceListing.Device co2 = devices.get(0);
        assertThat(co2.samples()).isEqualTo(31);
        assertThat(co2.lastSampleMicros()).as("the newest sample, not the attach time").isEqualTo(T0 + 45_000_000L);
        assertThat(co2.channels()).containsExactly(new DeviceListing.Channel("co2", "ppm"),
                new DeviceListing.Channel("temperature", "°C"));
        assertThat(co2.state()).isEqualTo(State.LOGGING);
        assertThat(co2.driver()).isEqualTo("co2mon");
        DeviceListing.Device temper = devices.get(1);
        assertThat(temper.samples()).isZero();
        assertThat(temper.lastSampleMicros()).isNull();
        assertThat(temper.channels()).isEmpty();
        assertThat(temper.state()).as("attached, no driver chosen yet").isEqualTo(State.BINDING);
    }

    @Test
    void theStateFollowsTheDevicesLatestEventsAndADisabledDeviceHasNoDriver() throws Exception {
        write(w -> {
            w.attached(CO2, info(CO2), "virtual", T0);
            w.event(CO2, "device.attached", "co2");
            w.driverBound(CO2, "co2mon");
            w.event(CO2, "driver.bound", "co2mon: score 100");
        });
        assertThat(only().state()).isEqualTo(State.LOGGING);

        event("device.stale", "stale: nothing delivered for 31000 ms; reopening it");
        assertThat(only().state()).isEqualTo(State.STALE);
        event("driver.bound", "co2mon: score 100");
        assertThat(only().state()).as("reopened, still silent").isEqualTo(State.STALE);
        event("device.recovered", "delivering again after it was reopened");
        assertThat(only().state()).isEqualTo(State.LOGGING);

        event("session.failed", "driver co2mon: I/O error; retry in 1000 ms");
        event("recovery.reopen", "1 failure(s) in a row: reopening the device in 1000 ms");
        assertThat(only().state()).isEqualTo(State.RETRYING);
        event("driver.bound", "co2mon: score 100");
        assertThat(only().state()).isEqualTo(State.LOGGING);
        assertThat(only().driver()).isEqualTo("co2mon");

        event("device.disabled", "disabled by configuration (enabled = false); left alone");
        assertThat(only().state()).isEqualTo(State.DISABLED);
        assertThat(only().driver()).as("the driver it had before it was disabled is not shown").isNull();
        assertThat(only().binding()).contains("enabled = false");

        event("driver.none", "no installed driver takes 04d9:a052: no match row fits");
        assertThat(only().state()).isEqualTo(State.NO_DRIVER);
        assertThat(only().driver()).isNull();

        write(w -> {
            w.detached(CO2, T0 + 1);
            w.event(CO2, "device.detached", null);
        });
        assertThat(only().state()).isEqualTo(State.DETACHED);
        assertThat(only().attached()).isFalse();
        write(w -> {
            w.attached(CO2, info(CO2), "virtual", T0 + 2);
            w.event(CO2, "device.attached", "again");
        });
        assertThat(only().state()).as("attached again, not bound yet").isEqualTo(State.BINDING);
    }

    private void event(String kind, String message) throws Exception {
        write(w -> w.event(CO2, kind, message));
    }

    /** What {@code what} records, written and committed by a writer of its own. */
    private void write(java.util.function.Consumer<StoreWriter> what) throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10_000, 100, 50, 200);
        writer.start();
        what.accept(writer);
        assertThat(writer.stop(20_000)).isTrue();
    }

    private DeviceListing.Device only() throws Exception {
        return org.assertj.core.api.Assertions.assertThat(new DeviceListing(ds).devices()).singleElement().actual();
    }

    private static List<StoredEvent> read(EventLog log, EventLog.Filter f) throws Exception {
        List<StoredEvent> out = new ArrayList<>();
        log.read(f, out::add);
        return out;
    }
}
