package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;

/** The writer and the queries on a real H2 file. */
class StoreWriterTest extends OnStoreFile {

    @Test
    void stoppingWritesEverythingQueuedAndQueriesFilterByDeviceChannelAndTime() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 500, 60_000, 60_000); // no timed commit: stop must write
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        RecorderSink b = attach(writer, "1209:0001:B");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        a.declare(new Channel("temperature", "°C", "temperature"));
        b.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 10_000; i++) {
            a.accept("co2", T0 + i * 1_000_000L, 400 + i);
            a.accept("temperature", T0 + i * 1_000_000L, 20.5);
            b.accept("co2", T0 + i * 1_000_000L, 900);
        }
        a.accept("pressure", T0, 1013); // never declared

        assertThat(writer.stop(20_000)).isTrue();

        assertThat(writer.accepted()).isEqualTo(30_000);
        assertThat(writer.written()).isEqualTo(30_000);
        SqlSampleStore store = new SqlSampleStore(ds);
        assertThat(store.samples(SampleQuery.all(), s -> { })).isEqualTo(30_000);
        List<StoredSample> window = new ArrayList<>();
        store.samples(new SampleQuery("1209:0001:A", "co2", Instant.parse("2026-11-25T10:00:10Z"),
                Instant.parse("2026-11-25T10:00:13Z")), window::add);
        assertThat(window).extracting(StoredSample::value).containsExactly(410.0, 411.0, 412.0);
        assertThat(window).allSatisfy(s -> assertThat(s.unit()).isEqualTo("ppm"));
        assertThat(store.devices()).extracting(d -> d.device() + "=" + d.samples())
                .containsExactly("1209:0001:A=20000", "1209:0001:B=10000");
    }

    @Test
    void aFullQueueDropsTheOldestSamplesCountsThemAndSaysSo() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10, 16, 50, 1_000); // started later: nothing drains the queue yet
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));

        for (int i = 0; i < 25; i++) {
            a.accept("co2", T0 + i, i);
        }

        assertThat(writer.accepted()).isEqualTo(25);
        assertThat(writer.dropped()).isEqualTo(15);
        writer.start();
        assertThat(writer.stop(20_000)).isTrue();
        List<StoredSample> kept = stored();
        assertThat(kept).extracting(StoredSample::value).as("the newest ten")
                .containsExactly(15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0);
        assertThat(eventMessages("samples.dropped")).singleElement().asString().startsWith(
                "15 sample(s) dropped, the oldest first, because the store's queue was full; they were taken from"
                        + " 2026-11-25T10:00:00Z to 2026-11-25T10:00:00.000014Z");
    }

    @Test
    void dropsAreCountedPerDeviceCommitsAreTimedAndEventsCountedPerDeviceAndKind() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10, 16, 50, 1_000); // started later: nothing drains the queue yet
        RecorderSink a = attach(writer, "1209:0001:A");
        RecorderSink b = attach(writer, "1209:0001:B");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        b.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 15; i++) {
            a.accept("co2", T0 + i, i);
        }
        for (int i = 0; i < 10; i++) {
            b.accept("co2", T0 + i, i);
        }
        writer.event(null, "daemon.started", "test");
        writer.event("1209:0001:B", "decode.bad", "1 report(s) failed the checksum");
        writer.event("1209:0001:B", "decode.bad", "2 report(s) failed the checksum");

        assertThat(writer.droppedByDevice()).as("the oldest fifteen: all of A's").containsExactly(
                java.util.Map.entry("1209:0001:A", 15L));
        assertThat(writer.commitTimes().take().count()).isZero();
        writer.start();
        assertThat(writer.stop(20_000)).isTrue();

        CommitTimes.Taken commits = writer.commitTimes().take();
        assertThat(commits.count()).isPositive();
        assertThat(commits.maxNanos()).isPositive().isLessThanOrEqualTo(commits.totalNanos());
        CommitTimes.Taken next = writer.commitTimes().take();
        assertThat(next.maxNanos()).as("a new span: no commit since").isZero();
        assertThat(next.count()).isEqualTo(commits.count());
        assertThat(next.totalNanos()).isEqualTo(commits.totalNanos());
        assertThat(new SqlSampleStore(ds).eventCounts()).extracting(e -> e.device() + " " + e.kind() + " " + e.count())
                .contains("null daemon.started 1", "1209:0001:B decode.bad 2", "1209:0001:A samples.dropped 1");
    }

    @Test
    void recentSamplesAreQueryableWithinTheVisibilityIntervalAndBlocksAreCompact() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 1_000, 100, 1_000);
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("temperature", "°C", "temperature"));
        SqlSampleStore store = new SqlSampleStore(ds);
        for (int i = 0; i < 2_500; i++) {
            a.accept("temperature", T0 + i * 100_000L, Math.round((21 + Math.sin(i / 50.0)) * 100) / 100.0);
        }
        long deadline = System.currentTimeMillis() + 2_000;
        while (store.samples(SampleQuery.all(), s -> { }) < 2_500 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.samples(SampleQuery.all(), s -> { })).as("visible before the writer stops").isEqualTo(2_500);
        a.accept("temperature", T0 - 1, 5.0); // back in time: a block of its own
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> all = new ArrayList<>();
        store.samples(SampleQuery.all(), all::add);
        assertThat(all).hasSize(2_501);
        assertThat(all.get(0).value()).isEqualTo(5.0);
        assertThat(all).extracting(StoredSample::timeMicros).isSorted();
        try (Connection c = ds.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*), SUM(n), SUM(LENGTH(data)) FROM sample_block")) {
            rs.next();
            assertThat(rs.getInt(1)).as("blocks: 1000 + 1000 + 500, and the one back in time").isEqualTo(4);
            assertThat(rs.getLong(2)).isEqualTo(2_501);
            assertThat(rs.getLong(3) / 2_501.0).as("bytes per sample").isLessThan(2.5);
        }
    }

    @Test
    void aDatabaseOfTheFirstVersionOpensAndItsSamplesAreReadWithTheNewOnes() throws Exception {
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("DROP TABLE sample_block");
            s.execute("UPDATE schema_version SET version = 1");
            s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('1209:0001:A', 4617, 1, 0, 0)");
            s.execute("INSERT INTO channel(device_id, name, unit) SELECT id, 'co2', 'ppm' FROM device");
            s.execute("INSERT INTO sample(channel_id, t, v) SELECT id, " + T0 + ", 400 FROM channel");
            s.execute("INSERT INTO sample(channel_id, t, v) SELECT id, " + (T0 + 2) + ", 402 FROM channel");
        }
        try (Connection c = ds.getConnection()) {
            assertThat(Schema.ensure(c)).as("upgraded from").isEqualTo(1);
            assertThat(Schema.ensure(c)).as("once").isZero();
        }
        StoreWriter writer = new StoreWriter(ds, 1_000, 100, 50, 1_000);
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        a.accept("co2", T0 + 1, 401);
        a.accept("co2", T0 + 3, 403);
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> all = stored();
        assertThat(all).extracting(StoredSample::value).containsExactly(400.0, 401.0, 402.0, 403.0);
        assertThat(new SqlSampleStore(ds).devices()).singleElement().extracting(d -> d.samples()).isEqualTo(4L);
    }

    @Test
    void aSlowChannelsBlockIsClosedTenMinutesAfterItsFirstSampleWhileTheWriterRuns() throws Exception {
        AtomicLong later = new AtomicLong();
        StoreClock clock = new StoreClock() {
            @Override
            public long nanos() {
                return System.nanoTime() + later.get();
            }

            @Override
            public long wallMicros() {
                return StoreClock.SYSTEM.wallMicros() + later.get() / 1_000; // no step: both clocks go on
            }
        };
        StoreWriter writer = new StoreWriter(ds, StoreWriter.Settings.of(100_000, 4_096, 50, 200), clock);
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 10; i++) { // a reading a minute: the channel is never quiet for long
            a.accept("co2", T0 + i * 60_000_000L, 400 + i);
            awaitBlocks("n = " + (i + 1) + " AND NOT sealed");
            later.addAndGet(60_000_000_000L);
        }
        awaitBlocks("n = 10 AND sealed"); // ten minutes after the first, with no sample since the last
        for (int i = 10; i < 13; i++) {
            a.accept("co2", T0 + i * 60_000_000L, 400 + i);
        }
        awaitBlocks("n = 3 AND NOT sealed");
        assertThat(writer.stop(20_000)).isTrue();

        assertThat(stored()).extracting(StoredSample::value).containsExactly(400.0, 401.0, 402.0, 403.0, 404.0, 405.0,
                406.0, 407.0, 408.0, 409.0, 410.0, 411.0, 412.0);
    }

    @Test
    void anIdleWriterSleepsUntilItsNextCommitAndASampleAfterTheQuietIsStillCommittedWithinIt() throws Exception {
        StoreWriter writer = new StoreWriter(ds, StoreWriter.Settings.of(100_000, 4_096, 200, 1_000),
                StoreClock.SYSTEM);
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        a.accept("co2", T0, 400);
        awaitBlocks("n = 1");
        Thread.sleep(1_500); // committed, synced: nothing left to do

        long rounds = writer.progress();
        Thread.sleep(2_000);
        assertThat(writer.progress() - rounds).as("rounds in 2 s with nothing to write (a commit every 200 ms)")
                .isBetween(5L, 30L);

        long sent = System.nanoTime();
        a.accept("co2", T0 + 1_000_000L, 401);
        awaitBlocks("n = 2");
        assertThat((System.nanoTime() - sent) / 1_000_000).as("ms from the sample to its commit").isLessThan(1_000);
        assertThat(writer.stop(20_000)).isTrue();
    }

    /** Waits up to 5 s for the one block row that {@code condition} describes, while the writer commits. */
    private void awaitBlocks(String condition) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (Connection c = ds.getConnection(); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT COUNT(*) FROM sample_block WHERE " + condition)) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("a block with %s within 5 s", condition).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
