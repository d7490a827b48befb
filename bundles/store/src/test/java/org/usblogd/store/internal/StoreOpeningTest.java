package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/** Opening the embedded database after what a power cut leaves: dead space, a file that went back. */
class StoreOpeningTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String KEY = "1209:0001:OP";

    @TempDir
    Path state;
    private final OsgiDataSourceFactory dsf = new OsgiDataSourceFactory(new org.h2.Driver());

    @Test
    void afterAnUncleanStopTheSpaceTheCrashLeftIsFreedAndNothingIsLost() throws Exception {
        StoreLocation location = new StoreLocation(state);
        StoreOpening.Opened first = StoreOpening.embedded(dsf, location);
        try (Connection c = first.pool().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('" + KEY + "', 4617, 1,"
                    + " 0, 0)");
            c.commit();
            for (int i = 0; i < 3_000; i++) { // dead chunks, as a logger leaves them
                s.execute("UPDATE device SET last_seen = " + i);
                c.commit();
            }
            s.execute("SHUTDOWN IMMEDIATELY"); // a crash: no clean close, the running marker stays
        } catch (SQLException closed) {
            // the database went with the shutdown
        }
        first.pool().close();
        long crashed = Files.size(location.databaseFile());
        Thread.sleep(5_100); // the reboot: H2 frees dead chunks older than its retention time (5 s)

        StoreOpening.Opened second = StoreOpening.embedded(dsf, location);
        try (Connection c = second.pool().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_seen FROM device")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the last committed update").isEqualTo(2_999);
        }
        second.pool().close();
        StoreOpening.closed(location);

        assertThat(Files.size(location.databaseFile())).as("file after reopening, was %d", crashed)
                .isLessThan(crashed / 4);
    }

    @Test
    void theReaderOfTheGroupMaySelectButNotWriteAndOnlyTheOwnersPasswordIsPrivate() throws Exception {
        StoreLocation location = new StoreLocation(state);
        StoreOpening.Opened opened = StoreOpening.embedded(dsf, location);
        try (Connection c = opened.pool().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('" + KEY + "', 4617, 1,"
                    + " 0, 0)");
            c.commit();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(location.credentialsFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(location.readerCredentialsFile())))
                .isEqualTo("rw-r-----");
        String url = "jdbc:h2:file:" + location.databasePath();
        try {
            JdbcDataSource reader = new JdbcDataSource();
            reader.setURL(url);
            reader.setUser(StoreLocation.READER);
            reader.setPassword(location.readerPassword());
            assertThat(new SqlSampleStore(reader).devices()).extracting(d -> d.device()).containsExactly(KEY);
            try (Connection c = reader.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("DELETE FROM device")).hasMessageContaining("Not enough rights");
                assertThatThrownBy(() -> s.execute("SHUTDOWN")).hasMessageContaining("Admin rights");
            }
        } finally {
            opened.pool().close();
            StoreOpening.closed(location);
        }

        // opened again (a restart): the reader's password still works
        StoreOpening.Opened again = StoreOpening.embedded(dsf, location);
        again.pool().close();
        StoreOpening.closed(location);
        JdbcDataSource stopped = new JdbcDataSource();
        stopped.setURL(location.readOnlyUrl());
        stopped.setUser(StoreLocation.READER);
        stopped.setPassword(location.readerPassword());
        assertThat(new SqlSampleStore(stopped).devices()).hasSize(1);
    }

    @Test
    void aFileThatWentBackIsSaidBeforeAnythingIsWrittenAndKeptAsItWasFound() throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = TestDatabase.in(state);
        HighWaterMark mark = new HighWaterMark(location.highWaterFile());
        write(ds, mark, 0, 30);
        Path older = state.resolve("older.mv.db");
        Files.copy(location.databaseFile(), older);
        write(ds, mark, 30, 60);
        Files.copy(older, location.databaseFile(), StandardCopyOption.REPLACE_EXISTING);
        byte[] asFound = Files.readAllBytes(location.databaseFile());

        StoreOpening.Opened opened = StoreOpening.embedded(dsf, location);
        opened.pool().close();

        assertThat(opened.rolledBack()).hasValueSatisfying(m -> assertThat(m).contains(KEY + " co2 from"
                + " 2026-11-25T10:00:29Z to 2026-11-25T10:00:59Z").contains("the file as it was found is kept as"));
        try (var files = Files.list(location.directory())) {
            Path kept = files.filter(f -> f.getFileName().toString().startsWith("usblogd.mv.db.went-back-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readAllBytes(kept)).isEqualTo(asFound);
        }
    }

    private static void write(JdbcDataSource ds, HighWaterMark mark, int from, int to) throws Exception {
        StoreWriter writer = new StoreWriter(ds, StoreWriter.Settings.of(10_000, 4_096, 50, 200), StoreClock.SYSTEM);
        writer.highWaterMark(mark, mark.read());
        writer.start();
        writer.attached(KEY, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "OP", "1-1", 3, List.of()),
                "virtual", T0);
        RecorderSink sink = new RecorderSink(KEY, writer);
        sink.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = from; i < to; i++) {
            sink.accept("co2", T0 + i * 1_000_000L, 400 + i);
        }
        assertThat(writer.stop(10_000)).isTrue();
    }
}
