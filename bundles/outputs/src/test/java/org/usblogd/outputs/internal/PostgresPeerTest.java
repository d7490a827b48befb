package org.usblogd.outputs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;
import org.usblogd.testing.postgres.PostgresServer;

/** The SQL of the PostgreSQL output against a real server the test starts on the loopback. */
class PostgresPeerTest {
    private static final long T0 = Micros.of(Instant.parse("2026-11-25T10:00:00Z"));
    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        var bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** SKIPPED: no PostgreSQL server installed (apt-get install postgresql); CI installs"
                    + " it ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent(), "needs PostgreSQL");
        server = PostgresServer.start(bin.get());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theTablesAreMadeWhereMissingAndABatchSentAgainAddsNothing() throws Exception {
        Batch batch = batch("a", 0, 100);
        try (PostgresPeer peer = peer("node-a")) {
            peer.send(batch);
        }
        try (PostgresPeer peer = peer("node-a")) {
            peer.send(batch); // a crash between the peer's commit and the cursor's sends it again
            peer.send(batch("a", 50, 100)); // and a batch that overlaps
        }
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-a'")).isEqualTo(150);
        assertThat(count("SELECT COUNT(DISTINCT time) FROM usblogd_sample WHERE node = 'node-a'")).isEqualTo(150);
        assertThat(count("SELECT COUNT(*) FROM usblogd_event WHERE node = 'node-a'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usblogd_channel WHERE node = 'node-a' AND channel = 'co2'"
                + " AND unit = 'ppm'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usblogd_device WHERE node = 'node-a' AND device = '04d9:a052@1-1'"
                + " AND vid_pid = '04d9:a052'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-a' AND time = '2026-11-25T10:00:01Z'"
                + " AND value = 401")).as("times to the microsecond as timestamptz").isEqualTo(1);
    }

    @Test
    void severalLoggersWriteIntoOneDatabaseSideBySide() throws Exception {
        try (PostgresPeer b = peer("node-b"); PostgresPeer c = peer("node-c")) {
            b.send(batch("b", 0, 30));
            c.send(batch("c", 0, 30)); // the same device key and times on another logger
            b.send(batch("b", 30, 30));
        }
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-b'")).isEqualTo(60);
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-c'")).isEqualTo(30);
        assertThat(count("SELECT COUNT(*) FROM usblogd_device WHERE node IN ('node-b', 'node-c')")).isEqualTo(2);
    }

    @Test
    void aUserAllowedToInsertOnlyForwardsOnceTheTablesAreThere() throws Exception {
        try (PostgresPeer owner = peer("node-e")) {
            owner.connect(); // the tables, made by a user who may create them
        }
        execute("CREATE ROLE inserter LOGIN; GRANT SELECT, INSERT ON usblogd_sample, usblogd_event, usblogd_device,"
                + " usblogd_channel TO inserter; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser("inserter");
        try (PostgresPeer peer = new PostgresPeer(ds::getConnection, "node-e")) {
            peer.send(batch("e", 0, 10)); // CREATE TABLE IF NOT EXISTS would be refused: no right to create
        }
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-e'")).isEqualTo(10);
    }

    @Test
    void aNulCharacterThatPostgresqlRefusesInTextIsLeftOutNotTriedForEver() throws Exception {
        List<StoredSample> samples = List.of(new StoredSample(T0, "1209:c0de@1-1", "te\0mp", 21, "°C"));
        try (PostgresPeer peer = peer("node-f")) {
            peer.send(new Batch(samples, List.of(new StoredEvent(2, T0, "1209:c0de@1-1", "device.attached",
                    "product \"Sens\0or\""))));
        }
        assertThat(count("SELECT COUNT(*) FROM usblogd_sample WHERE node = 'node-f' AND channel = 'temp'"))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usblogd_event WHERE node = 'node-f' AND message = 'product \"Sensor\"'"))
                .isEqualTo(1);
    }

    @Test
    void theSampleTableIsAHypertableOnlyWhereTimescaleIsInstalled() throws Exception {
        try (PostgresPeer peer = peer("node-d")) {
            peer.connect();
            // Debian's postgresql has no TimescaleDB: the plain table, and no error for the missing extension
            assertThat(peer.hypertable()).isEqualTo(count("SELECT COUNT(*) FROM pg_extension WHERE extname ="
                    + " 'timescaledb'") > 0).isFalse();
        }
    }

    private static Batch batch(String tag, int from, int n) {
        List<StoredSample> samples = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            samples.add(new StoredSample(T0 + i * 1_000_000L, "04d9:a052@1-1", "co2", 400 + i, "ppm"));
        }
        return new Batch(samples, List.of(new StoredEvent(1, T0, "04d9:a052@1-1", "device.attached", tag)));
    }

    private static PostgresPeer peer(String node) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        return new PostgresPeer(ds::getConnection, node);
    }

    private static void execute(String sql) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
