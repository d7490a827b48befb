package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.testing.postgres.PostgresServer;

/**
 * The same store on PostgreSQL: a real server (the Debian package's binaries, started by the test on the
 * loopback), the writer's blocks and events, queries, devices, and maintenance's summaries and retention.
 */
class PostgresStoreTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-01T00:00:00Z"));
    private static final long MINUTE = 60_000_000L;
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
    void samplesEventsSummariesAndRetentionRoundTripThroughPostgres() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        try (Connection c = ds.getConnection()) {
            assertThat(org.usblogd.store.jdbc.Dialect.of(c)).isEqualTo(org.usblogd.store.jdbc.Dialect.POSTGRESQL);
            assertThat(Schema.ensure(c)).isZero();
            assertThat(Schema.ensure(c)).as("a second time changes nothing").isZero();
        }
        StoreWriter writer = new StoreWriter(ds, 100_000, 1_000, 50, 200);
        writer.start();
        writer.attached("1209:0001:PG", new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "PG", "1-1", 3,
                List.of()), "virtual", T0);
        RecorderSink sink = new RecorderSink("1209:0001:PG", writer);
        sink.declare(new Channel("temperature", "°C", "temperature"));
        for (int i = 0; i < 10 * 60 * 24; i++) { // a day, one sample every 6 s
            sink.accept("temperature", T0 + i * 6_000_000L, 20 + (i % 10) / 10.0);
        }
        sink.event("note", "hello from PostgreSQL");
        assertThat(writer.stop(60_000)).isTrue();
        assertThat(writer.written()).isEqualTo(14_400);

        SqlSampleStore store = new SqlSampleStore(ds);
        List<StoredSample> all = new ArrayList<>();
        store.samples(new SampleQuery("1209:0001:PG", "temperature", null, null), all::add);
        assertThat(all).hasSize(14_400);
        assertThat(all.get(1)).isEqualTo(new StoredSample(T0 + 6_000_000L, "1209:0001:PG", "temperature", 20.1, "°C"));
        assertThat(store.devices()).singleElement().satisfies(d -> assertThat(d.samples()).isEqualTo(14_400));

        Maintenance m = new Maintenance(ds, new RetentionPolicy(0, 0, 0, 0, List.of()), () -> T0 + 86_400_000_000L + 3 * MINUTE,
                (kind, message) -> { }, new CompactionWindows());
        m.runUntilIdle(10_000);
        List<StoredSummary> hours = new ArrayList<>();
        store.summaries(SampleQuery.all(), Tier.HOUR, hours::add);
        assertThat(hours).hasSize(24).allSatisfy(h -> {
            assertThat(h.count()).isEqualTo(600);
            assertThat(h.min()).isEqualTo(20.0);
            assertThat(h.max()).isEqualTo(20.9);
        });
        new Maintenance(ds, new RetentionPolicy(0, 0, 0, 1, List.of()), () -> T0 + 86_400_000_000L + 3 * MINUTE,
                (kind, message) -> { }, new CompactionWindows()).runUntilIdle(100_000);
        List<StoredSample> left = new ArrayList<>();
        store.samples(SampleQuery.all(), left::add);
        assertThat(left.size()).as("a 1-byte budget leaves no summarised raw sample").isLessThan(14_400);
    }
    @Test
    void aVersion2DatabaseOnPostgresHasItsGarbledUnitsRepairedAndThenKeepsAChangedUnitsHistory() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA version2");
        }
        ds.setCurrentSchema("version2");
        try (Connection c = ds.getConnection()) {
            Version2Database.create(c, "BYTEA", "1209:0001:V2", T0, 10);
            assertThat(Schema.ensure(c)).isEqualTo(2);
            assertThat(Schema.ensure(c)).as("once").isZero();
        }
        StoreWriter writer = new StoreWriter(ds, 1_000, 100, 50, 200);
        writer.start();
        writer.attached("1209:0001:V2", new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "V2", "1-1", 3,
                List.of()), "virtual", T0);
        RecorderSink sink = new RecorderSink("1209:0001:V2", writer);
        sink.declare(new Channel("R", "kΩ", "R"));
        sink.accept("R", T0 + 60_000_000L, 0.5);
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> r = new ArrayList<>();
        new SqlSampleStore(ds).samples(new SampleQuery("1209:0001:V2", "R", null, null), r::add);
        assertThat(r).extracting(StoredSample::unit).hasSize(11).startsWith("Ω").endsWith("Ω", "kΩ");
        List<String> t = new ArrayList<>();
        new SqlSampleStore(ds).samples(new SampleQuery("1209:0001:V2", "T", null, null), x -> t.add(x.unit()));
        assertThat(t).hasSize(10).containsOnly("°C");
    }
}
