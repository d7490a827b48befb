package org.usblogd.outputs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.api.output.OutputStatus;
import org.usblogd.api.store.Micros;
import org.usblogd.testing.postgres.PostgresServer;

import ch.qos.logback.classic.Level;

/**
 * One output's thread between a real H2 file in the store's schema and a real PostgreSQL server: what reaches
 * the server, the cursor, the backlog, and what the log says when the server is away or refuses the user.
 */
class ForwarderTest {
    private static final long T0 = Micros.of(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String PASSWORD = "right horse battery";
    private static final long MS = 1_000_000L;

    @TempDir
    Path state;
    private PostgresServer server;
    private LocalStore store;
    private FailureLogLines logged;

    @BeforeEach
    void setUp() throws Exception {
        var bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** SKIPPED: no PostgreSQL server installed (apt-get install postgresql); CI installs"
                    + " it ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent(), "needs PostgreSQL");
        server = PostgresServer.start(bin.get(), PASSWORD);
        store = new LocalStore(state);
        logged = new FailureLogLines();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (logged != null) {
            logged.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyCommittedSampleAndEventReachesPostgresAndTheCursorFollows() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        long temp = store.channel("04d9:a052@v1-1", "temperature", "°C");
        store.commit(co2, T0, 2_500, 400);
        store.commit(temp, T0, 10, 20);
        store.event(T0, "device.attached", "co2 monitor");
        Forwarder f = forwarder("pg", PASSWORD, 1_000);
        f.start();
        try {
            await("2,510 samples in PostgreSQL", () -> rows("usblogd_sample") == 2_510);
            store.commit(co2, T0 + 2_500 * 1_000_000L, 100, 2_900);
            f.wake(); // as the store does after a commit
            await("the 100 committed since", () -> rows("usblogd_sample") == 2_610);
            await("the status", () -> f.status().forwardedSamples() == 2_610 && f.status().backlogSamples() == 0);
            OutputStatus s = f.status();
            assertThat(s.connected()).isTrue();
            assertThat(s.forwardedEvents()).isEqualTo(1);
            assertThat(s.lastError()).isNull();
            assertThat(s.target()).isEqualTo(server.url());
            assertThat(rows("usblogd_event")).isEqualTo(1);
        } finally {
            f.stop();
        }
        // stopped (its file removed, or the daemon stopping): its thread and its connection are gone
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("usblogd-output-pg"));
        // the server ends a backend a moment after its client closed the connection
        await("the output's connection closed on the server", () -> {
            try {
                return count("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = 'usblogd' AND pid <>"
                        + " pg_backend_pid() AND backend_type = 'client backend'") == 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(store.log.channels("pg")).allSatisfy(ch -> assertThat(ch.behind()).isFalse());
        assertThat(lines(Level.ERROR)).isEmpty();
        assertThat(lines(Level.INFO)).singleElement().asString().contains("output pg: forwarding to " + server.url()
                + " as node test-node");
    }

    @Test
    void aWrongPasswordIsOneLogLineAndTheBacklogWaitsUntilTheFileIsRight() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 300, 400);
        Forwarder wrong = forwarder("pg", "wrong", 1_000);
        wrong.start();
        try {
            await("failed attempts", () -> f(wrong).lastError() != null);
            Thread.sleep(1_000); // many more attempts with the short back-off of the test
            store.commit(co2, T0 + 300 * 1_000_000L, 50, 700);
            await("the backlog counted", () -> f(wrong).backlogSamples() == 350);
            OutputStatus s = wrong.status();
            assertThat(s.connected()).isFalse();
            assertThat(s.forwardedSamples()).isZero();
            assertThat(s.backlogOldestMicros()).isEqualTo(T0);
            assertThat(s.lastError()).contains("password authentication failed");
        } finally {
            wrong.stop();
        }
        assertThat(lines(Level.ERROR)).singleElement().asString()
                .contains("output pg (/conf/org.usblogd.output-pg.cfg): PostgreSQL at " + server.url()
                        + " refuses user 'usblogd'")
                .contains("check user and password in /conf/org.usblogd.output-pg.cfg")
                .contains("nothing is lost: what is not forwarded (300 samples so far) waits in the local store").doesNotContain("wrong");
        assertThat(store.log.channels("pg")).allSatisfy(ch -> assertThat(ch.forwardedMicros()).isEqualTo(Long.MIN_VALUE));

        Forwarder right = forwarder("pg", PASSWORD, 1_000);
        right.start();
        try {
            await("the whole backlog in PostgreSQL", () -> rows("usblogd_sample") == 350);
        } finally {
            right.stop();
        }
    }

    @Test
    void aServerStoppedForAWhileMissesNothingAndTheLogSaysSoTwice() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 100, 400);
        Forwarder f = forwarder("pg", PASSWORD, 7);
        f.start();
        try {
            await("the first samples", () -> rows("usblogd_sample") == 100);
            server.stop();
            for (int i = 1; i <= 5; i++) {
                store.commit(co2, T0 + i * 100 * 1_000_000L, 100, 400 + i * 100);
                f.wake();
                Thread.sleep(300);
            }
            await("the outage noticed", () -> !f.status().connected());
            assertThat(f.status().backlogSamples()).isPositive();
            server.startAgain();
            await("every sample in PostgreSQL", () -> rows("usblogd_sample") == 600);
            await("connected again", () -> f.status().connected());
        } finally {
            f.stop();
        }
        assertThat(count("SELECT COUNT(DISTINCT time) FROM usblogd_sample")).isEqualTo(600);
        assertThat(lines(Level.ERROR)).singleElement().asString().contains("cannot reach PostgreSQL at " + server.url());
        assertThat(lines(Level.INFO)).last().asString().contains("output pg: forwarding to " + server.url()
                + " again after");
    }

    private Forwarder forwarder(String name, String password, int batch) {
        OutputSettings s = new OutputSettings(name, "/conf/org.usblogd.output-" + name + ".cfg", "postgresql",
                server.url(), PostgresServer.USER, password, "test-node", batch);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        ds.setPassword(password);
        ds.setLoginTimeout(5);
        return new Forwarder(s, store.log, new PostgresPeer(ds::getConnection, s.node()), new PostgresFailures(s),
                TimeUnit.SECONDS.toNanos(5), 20 * MS, 200 * MS);
    }

    private static OutputStatus f(Forwarder f) {
        return f.status();
    }

    private List<String> lines(Level level) {
        return logged.at(level);
    }

    private long rows(String table) {
        try {
            return count("SELECT COUNT(*) FROM " + table);
        } catch (Exception e) {
            return -1; // not there yet, or the server is stopped
        }
    }

    private long count(String sql) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        ds.setPassword(PASSWORD);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after 30 s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
