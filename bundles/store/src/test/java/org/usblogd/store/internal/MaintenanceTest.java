package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.SqlSampleStore;

/** Summaries and retention over simulated months, with the clock injected. */
class MaintenanceTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-01-01T00:00:00Z"));
    private static final long MINUTE = 60_000_000L;
    private static final long DAY = 86_400_000_000L;

    @TempDir
    Path state;
    private JdbcDataSource ds;
    private final AtomicLong now = new AtomicLong();
    private final List<String> events = new ArrayList<>();
    private final CompactionWindows windows = new CompactionWindows();

    @BeforeEach
    void openDatabase() throws Exception {
        ds = TestDatabase.in(state);
    }

    /** One sample every {@code everyMicros} for {@code days}, valued by its minute of the hour. */
    private void record(String device, long everyMicros, int days) throws Exception {
        record(device, everyMicros, days, t -> (t - T0) / MINUTE % 60);
    }

    private void record(String device, long everyMicros, int days, java.util.function.LongToDoubleFunction value)
            throws Exception {
        StoreWriter writer = new StoreWriter(ds, 1_000_000, 4_096, 60_000, 60_000);
        writer.start();
        UsbDeviceInfo info = new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", device.substring(10), "1-1", 3,
                List.of());
        writer.attached(device, info, "virtual", T0);
        RecorderSink sink = new RecorderSink(device, writer);
        sink.declare(new Channel("temperature", "°C", "temperature"));
        for (long t = T0; t < T0 + days * DAY; t += everyMicros) {
            sink.accept("temperature", t, value.applyAsDouble(t));
        }
        assertThat(writer.stop(60_000)).isTrue();
        assertThat(writer.dropped()).isZero();
    }

    private Maintenance maintenance(RetentionPolicy policy) {
        return new Maintenance(ds, policy, now::get, (kind, message) -> events.add(kind + ": " + message), windows);
    }

    @Test
    void retentionNeverRemovesABlockTheWriterIsStillFilling() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 50, 200);
        writer.start();
        String device = "1209:0001:OPEN";
        writer.attached(device, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "OPEN", "1-1", 3,
                List.of()), "virtual", T0);
        RecorderSink sink = new RecorderSink(device, writer);
        sink.declare(new Channel("temperature", "°C", "temperature"));
        for (long t = T0; t < T0 + 5 * DAY; t += 60 * MINUTE) { // five days, then the device falls quiet
            sink.accept("temperature", t, 20);
        }
        awaitWritten(writer, 120);
        now.set(T0 + 40 * DAY);
        maintenance(new RetentionPolicy(10, 0, 0, 0, List.of())).runUntilIdle(100_000);

        sink.accept("temperature", T0 + 40 * DAY, 21); // the device speaks again, into the same block
        awaitWritten(writer, 121);
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> raw = new ArrayList<>();
        new SqlSampleStore(ds).samples(SampleQuery.all(), raw::add);
        assertThat(raw).as("the block was still being written: nothing of it removed, the new sample kept").hasSize(121);
        assertThat(raw.get(120).value()).isEqualTo(21.0);
    }

    private static void awaitWritten(StoreWriter writer, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (writer.written() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writer.written()).isEqualTo(n);
    }

    @Test
    void ninetyDaysBecomeMinutesAndHoursAndOnlyWhatThePolicyKeepsStays() throws Exception {
        record("1209:0001:A", 5 * MINUTE, 90);
        now.set(T0 + 90 * DAY);
        Maintenance m = maintenance(new RetentionPolicy(30, 60, 0, 0, List.of()));

        int steps = m.runUntilIdle(100_000);

        assertThat(steps).as("many small steps").isGreaterThan(50);
        SqlSampleStore store = new SqlSampleStore(ds);
        List<StoredSample> raw = new ArrayList<>();
        store.samples(SampleQuery.all(), raw::add);
        long rawLimit = now.get() - 30 * DAY;
        assertThat(raw.get(0).timeMicros()).as("raw older than 30 days is gone, a block at a time")
                .isBetween(rawLimit - 15 * DAY, rawLimit);
        assertThat(raw.get(raw.size() - 1).timeMicros()).isEqualTo(T0 + 90 * DAY - 5 * MINUTE);

        List<StoredSummary> minutes = new ArrayList<>();
        store.summaries(SampleQuery.all(), Tier.MINUTE, minutes::add);
        assertThat(minutes.get(0).timeMicros()).as("minutes older than 60 days are gone")
                .isGreaterThanOrEqualTo(now.get() - 60 * DAY);
        assertThat(minutes).allSatisfy(s -> assertThat(s.count()).isEqualTo(1));
        assertThat(minutes.get(minutes.size() - 1).timeMicros()).as("the last sample's minute")
                .isEqualTo(T0 + 90 * DAY - 5 * MINUTE);

        List<StoredSummary> hours = new ArrayList<>();
        store.summaries(SampleQuery.all(), Tier.HOUR, hours::add);
        assertThat(hours).as("every hour since the start, kept for ever").hasSize(90 * 24 - 1);
        assertThat(hours.get(0)).isEqualTo(new StoredSummary(T0, "1209:0001:A", "temperature", 0, 55, 27.5, 12, "°C"));
        assertThat(hours).allSatisfy(h -> assertThat(h.count()).isEqualTo(12));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("retention.raw: 1209:0001:A temperature: raw"
                + " samples before 2026-03-02"));
        assertThat(m.step()).as("idle until time moves on").isFalse();
    }

    @Test
    void retentionByAgeKeepsWhatAnOutputHasNotForwardedAndForgetsAnOutputWhoseFileIsGone() throws Exception {
        record("1209:0001:A", 5 * MINUTE, 20);
        org.usblogd.store.jdbc.ForwardLog outputs = new org.usblogd.store.jdbc.ForwardLog(ds);
        outputs.register("central");
        outputs.register("spare");
        // central forwarded the first twelve days, spare nothing yet
        long channel = outputs.channels("central").get(0).id();
        outputs.advance("central", java.util.Map.of(channel, T0 + 12 * DAY), 0);
        now.set(T0 + 20 * DAY);
        maintenance(new RetentionPolicy(5, 0, 0, 0, List.of())).runUntilIdle(100_000);
        assertThat(first("1209:0001:A")).as("spare has forwarded nothing: all kept").isEqualTo(T0);

        outputs.forget("spare");
        maintenance(new RetentionPolicy(5, 0, 0, 0, List.of())).runUntilIdle(100_000);
        // blocks of 4,096 samples five minutes apart: the first ends after 14 days, beyond central's cursor
        assertThat(first("1209:0001:A")).as("central has not forwarded the whole first block").isEqualTo(T0);

        outputs.advance("central", java.util.Map.of(channel, T0 + 15 * DAY), 0);
        maintenance(new RetentionPolicy(5, 0, 0, 0, List.of())).runUntilIdle(100_000);
        assertThat(first("1209:0001:A")).as("forwarded and older than the policy keeps: removed")
                .isGreaterThan(T0 + 10 * DAY);
        assertThat(outputs.backlog("central").oldestMicros()).isEqualTo(T0 + 15 * DAY + 5 * MINUTE);
    }

    @Test
    void anOutputWhoseFileWentWhileTheDaemonWasStoppedHoldsRetentionOnlyWhileTheNextRunStarts() throws Exception {
        record("1209:0001:A", 5 * MINUTE, 20);
        new org.usblogd.store.jdbc.ForwardLog(ds).register("gone"); // a run before: it forwarded nothing
        now.set(T0 + 20 * DAY);

        org.usblogd.store.jdbc.ForwardLog starting = new org.usblogd.store.jdbc.ForwardLog(ds);
        Maintenance m = maintenance(new RetentionPolicy(5, 0, 0, 0, List.of()));
        m.waitFor(starting::awaited);
        m.runUntilIdle(100_000);
        assertThat(first("1209:0001:A")).as("its file may yet be read: all kept").isEqualTo(T0);

        // this run, once started: no component registered "gone", so nothing waits for it
        org.usblogd.store.jdbc.ForwardLog started = new org.usblogd.store.jdbc.ForwardLog(ds, java.time.Duration.ZERO);
        m.waitFor(started::awaited);
        m.runUntilIdle(100_000);
        assertThat(first("1209:0001:A")).as("older than the policy keeps: removed").isGreaterThan(T0 + 10 * DAY);
    }

    private long first(String device) throws Exception {
        List<StoredSample> all = new ArrayList<>();
        new SqlSampleStore(ds).samples(new SampleQuery(device, null, null, null), all::add);
        return all.get(0).timeMicros();
    }

    @Test
    void aDeviceMayKeepItsRawSamplesLongerThanTheRest() throws Exception {
        record("1209:0001:A", 5 * MINUTE, 20);
        record("1209:0001:B", 5 * MINUTE, 20);
        now.set(T0 + 20 * DAY);
        maintenance(new RetentionPolicy(5, 0, 0, 0, RetentionPolicy.parseOverrides("1209:0001:B 30")))
                .runUntilIdle(100_000);

        List<StoredSample> a = new ArrayList<>();
        List<StoredSample> b = new ArrayList<>();
        SqlSampleStore store = new SqlSampleStore(ds);
        store.samples(new SampleQuery("1209:0001:A", null, null, null), a::add);
        store.samples(new SampleQuery("1209:0001:B", null, null, null), b::add);
        assertThat(a.get(0).timeMicros()).isGreaterThan(T0 + 10 * DAY);
        assertThat(b.get(0).timeMicros()).as("kept: 30 days").isEqualTo(T0);
    }

    @Test
    void theBudgetIsHeldByGivingUpTheOldestSummarisedSamplesFirst() throws Exception {
        // ten a second for a day, noisy tenths (about 2 bytes a sample): the raw samples are most of the file
        record("1209:0001:A", 100_000L, 1, t -> ((t * 2_654_435_761L) >>> 20) % 1_000 / 10.0);
        now.set(T0 + DAY + 3 * MINUTE);
        maintenance(new RetentionPolicy(0, 0, 0, 0, List.of())).runUntilIdle(1_000_000); // summaries first
        long compacted = fileSize();
        for (int i = 0; i < 4; i++) { // as small as compaction alone makes it
            compactionWindow();
            compacted = Math.min(compacted, fileSize());
        }
        long budget = compacted * 3 / 4; // less than the raw samples take: some of them have to go
        Maintenance m = maintenance(new RetentionPolicy(0, 0, 0, budget, List.of()));

        // maintenance between the writer's compaction windows, as in the daemon
        for (int window = 0; window < 20 && (m.runUntilIdle(1_000_000) > 0 || fileSize() > budget); window++) {
            compactionWindow();
        }

        assertThat(fileSize()).as("the database file within the budget").isLessThanOrEqualTo(budget);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT MIN(t_first) FROM sample_block), (SELECT MIN(t) FROM sample_rollup WHERE tier = 2)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the oldest raw samples went").isGreaterThan(T0);
            assertThat(rs.getLong(2)).as("hour summaries from the start stay").isEqualTo(T0);
        }
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("retention.budget: "));
    }

    @Test
    void theBudgetTakingSamplesAnOutputHasNotForwardedSaysHowManyAndFromWhen() throws Exception {
        long every = 100_000L;
        record("1209:0001:A", every, 1, t -> ((t * 2_654_435_761L) >>> 20) % 1_000 / 10.0);
        org.usblogd.store.jdbc.ForwardLog outputs = new org.usblogd.store.jdbc.ForwardLog(ds);
        outputs.register("central");
        long cursor = T0 + 30 * MINUTE; // central forwarded the first half hour only
        outputs.advance("central", java.util.Map.of(outputs.channels("central").get(0).id(), cursor), 0);
        now.set(T0 + DAY + 3 * MINUTE);
        maintenance(new RetentionPolicy(0, 0, 0, 0, List.of())).runUntilIdle(1_000_000);
        long compacted = fileSize();
        for (int i = 0; i < 4; i++) {
            compactionWindow();
            compacted = Math.min(compacted, fileSize());
        }
        long budget = compacted * 3 / 4;
        Maintenance m = maintenance(new RetentionPolicy(0, 0, 0, budget, List.of()));
        for (int window = 0; window < 20 && (m.runUntilIdle(1_000_000) > 0 || fileSize() > budget); window++) {
            compactionWindow();
        }

        long kept = first("1209:0001:A");
        assertThat(kept).as("the budget took more than the half hour forwarded").isGreaterThan(cursor + 60 * MINUTE);
        long unforwarded = 0;
        for (long t = T0; t < kept; t += every) {
            unforwarded += t > cursor ? 1 : 0;
        }
        List<String> lost = events.stream().filter(e -> e.startsWith("retention.unforwarded: ")).toList();
        assertThat(lost).isNotEmpty();
        long said = lost.stream().mapToLong(e -> Long.parseLong(e.replaceAll(".* removal of (\\d+) samples .*", "$1")))
                .sum();
        assertThat(said).as("samples given up unforwarded, as the events count them").isEqualTo(unforwarded);
        assertThat(lost.get(0)).contains("not yet forwarded to every output", "Raise retention.disk.mb");
        assertThat(lost.get(0)).contains("recorded from " + instantOf(cursor + every));
    }

    private static String instantOf(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000)
                .toString();
    }

    @Test
    void deadSpaceAloneGivesUpNoDataItIsCompactedAway() throws Exception {
        record("1209:0001:A", 60_000_000L, 2);
        now.set(T0 + 2 * DAY);
        Maintenance m = maintenance(new RetentionPolicy(0, 0, 0, 3_000_000, List.of()));
        m.runUntilIdle(1_000_000);
        compactionWindow();
        long live = fileSize();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 3_000; i++) { // rewrites that leave dead chunks behind, as an unclean stop does
                s.execute("UPDATE device SET last_seen = " + i);
            }
        }
        assertThat(fileSize()).as("dead space over the budget").isGreaterThan(3_000_000);
        int before = blocks();

        m.runUntilIdle(1_000_000);
        compactionWindow();
        compactionWindow();
        m.runUntilIdle(1_000_000);

        assertThat(blocks()).as("no sample given up").isEqualTo(before);
        assertThat(fileSize()).as("compacted back near %d bytes", live).isLessThan(3_000_000);
    }

    /** As the writer does it: a sync, a window, a sync; after H2's retention time (5 s), as in the daemon's 10 s. */
    private void compactionWindow() throws Exception {
        Thread.sleep(5_100);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
            new FileCompaction(1, System.nanoTime()).compact(c, System.nanoTime());
            s.execute("CHECKPOINT SYNC");
        }
        windows.windowDone();
    }

    private long fileSize() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_SIZE'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }

    private int blocks() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sample_block")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void overridesThatAreNotDevicesAndDaysAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionPolicy.parseOverrides("1209:0001:A"))
                .hasMessageContaining("'1209:0001:A' is not 'DEVICE[/CHANNEL] DAYS'");
        assertThat(RetentionPolicy.parseOverrides("a 1, b/co2 2")).containsExactly(
                new RetentionPolicy.Override("a", null, 1), new RetentionPolicy.Override("b", "co2", 2));
        RetentionPolicy p = new RetentionPolicy(7, 0, 0, 0, RetentionPolicy.parseOverrides("a 1, a/co2 2"));
        assertThat(p.rawDays("a", "co2")).isEqualTo(2);
        assertThat(p.rawDays("a", "rh")).isEqualTo(1);
        assertThat(p.rawDays("b", "co2")).isEqualTo(7);
    }
}
