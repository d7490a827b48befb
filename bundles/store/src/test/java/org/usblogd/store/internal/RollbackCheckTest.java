package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * A database file that opens at an older version than the one last synced (as H2 may after a power cut) is
 * noticed at open against the high-water mark kept beside it, and said with the span each channel lost.
 */
class RollbackCheckTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String KEY = "1209:0001:RB";

    @TempDir
    Path state;

    @Test
    void aDatabaseThatWentBackInTimeIsSaidWithWhatWasLostOnceNotSilently() throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = TestDatabase.in(state);
        HighWaterMark mark = new HighWaterMark(location.highWaterFile());

        run(ds, mark, 0, 50);
        Path older = state.resolve("older.mv.db");
        Files.copy(location.databaseFile(), older);
        assertThat(RollbackCheck.atOpen(ds, mark).lost()).as("nothing lost so far").isEmpty();
        run(ds, mark, 50, 100);
        assertThat(mark.read()).containsEntry(KEY + "\tco2", T0 + 99 * 1_000_000L);

        Files.copy(older, location.databaseFile(), StandardCopyOption.REPLACE_EXISTING); // the file went back

        RollbackCheck.Result result = RollbackCheck.atOpen(ds, mark);
        assertThat(result.lost()).hasValueSatisfying(m -> assertThat(m).startsWith("the database opened at an older"
                + " version than the one last forced to the disk: samples that were safely stored are missing ("
                + KEY + " co2 from 2026-11-25T10:00:49Z to 2026-11-25T10:01:39Z)"));
        assertThat(result.mark()).as("the writer goes on from what the database holds")
                .containsEntry(KEY + "\tco2", T0 + 49 * 1_000_000L);

        StoreWriter writer = writer(ds);
        writer.highWaterMark(mark, result.mark());
        writer.start();
        assertThat(writer.stop(10_000)).isTrue();
        assertThat(RollbackCheck.atOpen(ds, mark).lost()).as("said once, not at every start").isEmpty();
    }

    @Test
    void rawSamplesRemovedAfterTheirMinutesWereSummarisedAreNotALoss() throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = TestDatabase.in(state);
        HighWaterMark mark = new HighWaterMark(location.highWaterFile());
        run(ds, mark, 0, 100);
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO rollup_progress(channel_id, tier, done) SELECT id, 1, " + (T0 + 120_000_000L)
                    + " FROM channel");
            s.execute("DELETE FROM sample_block");
        }

        assertThat(RollbackCheck.atOpen(ds, mark).lost()).isEmpty();
    }

    /** One run of the daemon: samples {@code from} to {@code to}, a second apart, then a clean stop. */
    private void run(JdbcDataSource ds, HighWaterMark mark, int from, int to) throws Exception {
        StoreWriter writer = writer(ds);
        writer.highWaterMark(mark, mark.read());
        writer.start();
        writer.attached(KEY, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "RB", "1-1", 3, List.of()),
                "virtual", T0);
        RecorderSink sink = new RecorderSink(KEY, writer);
        sink.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = from; i < to; i++) {
            sink.accept("co2", T0 + i * 1_000_000L, 400 + i);
        }
        assertThat(writer.stop(10_000)).isTrue();
        assertThat(writer.written()).isEqualTo(to - from);
    }

    private static StoreWriter writer(JdbcDataSource ds) {
        return new StoreWriter(ds, StoreWriter.Settings.of(10_000, 4_096, 50, 200), StoreClock.SYSTEM);
    }

}
