package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.Backlog;
import org.usblogd.api.store.SourceChannel;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.ForwardLog;
import org.usblogd.store.jdbc.SqlSampleStore;

/** What outputs read from a real H2 file written by the store's own writer, and the cursors they keep in it. */
class ForwardLogTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String DEVICE = "1209:0001@v1-1";

    @TempDir
    Path state;

    @Test
    void anOutputReadsEveryCommittedSampleOnceAfterItsCursorAndTheCursorOutlivesTheDatabase() throws Exception {
        JdbcDataSource ds = TestDatabase.in(state);
        // blocks of 16: reads start inside a block, span sealed blocks and end in the filling one
        StoreWriter writer = writer(ds);
        RecorderSink sink = sink(writer);
        for (int i = 0; i < 100; i++) {
            sink.accept("co2", T0 + i * 1_000_000L, 400 + i);
        }
        for (int i = 0; i < 37; i++) {
            sink.accept("temp", T0 + i * 500_000L, 20 + i / 10.0);
        }
        assertThat(writer.stop(20_000)).isTrue();

        ForwardLog log = new ForwardLog(ds);
        assertThat(log.backlog("pg")).isEqualTo(new Backlog(137, T0, log.eventsAfter(0, 1_000).size()));
        List<StoredSample> forwarded = drain(log, "pg", 7);
        assertThat(forwarded).filteredOn(s -> s.channel().equals("co2")).extracting(StoredSample::value)
                .containsExactlyElementsOf(LongStream.range(0, 100).mapToObj(i -> 400.0 + i).toList());
        assertThat(forwarded).filteredOn(s -> s.channel().equals("temp")).hasSize(37)
                .allSatisfy(s -> assertThat(s.unit()).isEqualTo("°C"));
        assertThat(log.backlog("pg").samples()).isZero();
        assertThat(log.backlog("other").samples()).as("each output has cursors of its own").isEqualTo(137);

        // the database closed and opened again (a restart): the output goes on where it stopped
        ForwardLog reopened = new ForwardLog(TestDatabase.in(state));
        assertThat(reopened.channels("pg")).allSatisfy(ch -> assertThat(ch.behind()).isFalse());
        StoreWriter next = writer(ds);
        RecorderSink again = sink(next);
        for (int i = 100; i < 120; i++) {
            again.accept("co2", T0 + i * 1_000_000L, 400 + i);
        }
        assertThat(next.stop(20_000)).isTrue();
        Backlog backlog = reopened.backlog("pg");
        assertThat(backlog.samples()).isEqualTo(20);
        assertThat(backlog.oldestMicros()).isEqualTo(T0 + 100 * 1_000_000L);
        assertThat(drain(reopened, "pg", 1_000)).extracting(StoredSample::value)
                .containsExactlyElementsOf(LongStream.range(100, 120).mapToObj(i -> 400.0 + i).toList());
    }

    @Test
    void eventsAreReadAfterTheEventCursorInCommitOrder() throws Exception {
        JdbcDataSource ds = TestDatabase.in(state);
        StoreWriter writer = writer(ds);
        for (int i = 0; i < 10; i++) {
            writer.event(DEVICE, "test.event", "number " + i);
        }
        assertThat(writer.stop(20_000)).isTrue();
        ForwardLog log = new ForwardLog(ds);
        assertThat(log.eventCursor("pg")).isZero();
        List<StoredEvent> first = log.eventsAfter(0, 4);
        assertThat(first).hasSize(4);
        log.advance("pg", Map.of(), first.get(3).id());
        assertThat(log.eventCursor("pg")).isEqualTo(first.get(3).id());
        List<StoredEvent> rest = log.eventsAfter(log.eventCursor("pg"), 1_000);
        assertThat(rest).extracting(StoredEvent::id).isSorted().allSatisfy(id -> assertThat(id).isGreaterThan(
                first.get(3).id()));
        List<String> tests = new ArrayList<>();
        first.forEach(e -> tests.add(e.message()));
        rest.forEach(e -> tests.add(e.message()));
        assertThat(tests).filteredOn(m -> m != null && m.startsWith("number"))
                .containsExactlyElementsOf(LongStream.range(0, 10).mapToObj(i -> "number " + i).toList());
        assertThat(log.backlog("pg").events()).isEqualTo(rest.size());
    }

    /** Reads and advances as an output does, {@code batch} samples per channel at a time, until nothing is left. */
    private static List<StoredSample> drain(ForwardLog log, String output, int batch) throws Exception {
        List<StoredSample> all = new ArrayList<>();
        while (true) {
            boolean any = false;
            for (SourceChannel ch : log.channels(output)) {
                if (!ch.behind()) {
                    continue;
                }
                List<StoredSample> got = log.samplesAfter(ch, ch.forwardedMicros(), batch);
                assertThat(got.size()).isLessThanOrEqualTo(batch);
                if (!got.isEmpty()) {
                    any = true;
                    all.addAll(got);
                    log.advance(output, Map.of(ch.id(), got.get(got.size() - 1).timeMicros()), 0);
                }
            }
            if (!any) {
                return all;
            }
        }
    }

    private static StoreWriter writer(JdbcDataSource ds) {
        StoreWriter writer = new StoreWriter(ds, 100_000, 16, 20, 1_000);
        writer.start();
        writer.attached(DEVICE, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", null, "1-1", 3,
                List.of()), "virtual", T0);
        return writer;
    }

    private static RecorderSink sink(StoreWriter writer) {
        RecorderSink sink = new RecorderSink(DEVICE, writer);
        sink.declare(new Channel("co2", "ppm", "carbon dioxide"));
        sink.declare(new Channel("temp", "°C", "temperature"));
        return sink;
    }
}
