package org.usblogd.outputs.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.api.store.Micros;
import org.usblogd.testing.postgres.PostgresServer;

/**
 * bench/outputs: how fast an output catches up with a one-hour backlog shaped like the demo's (a power meter's
 * three channels at 100 samples/s, twelve sensor channels at one a second), and how long a sample takes from
 * its commit to the server's while the output keeps up. Prints figures, asserts nothing; not run by the suite
 * (its name is no test's).
 */
class ForwardingBenchmark {
    private static final int HOUR_S = 3_600;
    private static final int BLOCK = 4_096;

    @TempDir
    Path state;

    @Test
    void catchUpAndLatency() throws Exception {
        var bin = PostgresServer.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "needs PostgreSQL");
        try (PostgresServer server = PostgresServer.start(bin.get())) {
            LocalStore store = new LocalStore(state);
            long t0 = Micros.of(Instant.now()) - HOUR_S * 1_000_000L;
            long total = 0;
            for (String ch : List.of("voltage", "current", "power")) {
                long id = store.channel("2e3c:5558@v1-2", ch, "V");
                for (int first = 0; first < HOUR_S * 100; first += BLOCK) {
                    int n = Math.min(BLOCK, HOUR_S * 100 - first);
                    store.commit(id, t0 + first * 10_000L, 10_000L, n, 5 + first % 7 / 100.0);
                    total += n;
                }
            }
            for (int c = 0; c < 12; c++) {
                long id = store.channel("04d9:a05" + c % 4 + "@v1-" + c, "sensor" + c, "°C");
                for (int first = 0; first < HOUR_S; first += BLOCK) {
                    int n = Math.min(BLOCK, HOUR_S - first);
                    store.commit(id, t0 + first * 1_000_000L, 1_000_000L, n, 20);
                    total += n;
                }
            }
            for (int batch : List.of(1_000, 10_000)) {
                String name = "bench" + batch;
                Forwarder f = forwarder(server, store, name, batch);
                long start = System.nanoTime();
                f.start();
                while (f.status().forwardedSamples() < total) {
                    Thread.sleep(20);
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "output bench: catch-up of a one-hour demo backlog (%d samples),"
                        + " batch %d: %.1f s, %.0f samples/s%n", total, batch, s, total / s);
                if (batch == 10_000) {
                    latency(store, f);
                }
                f.stop();
            }
        }
    }

    /** Commit to the server's commit, one sample every 50 ms, as the store's listener wakes the output. */
    private static void latency(LocalStore store, Forwarder f) throws Exception {
        long id = store.channel("1209:0001@v1-99", "live", "1");
        List<Long> micros = new ArrayList<>();
        long t = Micros.of(Instant.now());
        for (int i = 0; i < 300; i++) {
            long before = f.status().forwardedSamples();
            long committed = System.nanoTime();
            store.commit(id, t + i * 50_000L, 1, i);
            f.wake();
            while (f.status().forwardedSamples() == before) {
                Thread.onSpinWait();
            }
            micros.add((System.nanoTime() - committed) / 1_000);
            Thread.sleep(50);
        }
        micros.sort(null);
        System.out.printf(Locale.ROOT, "output bench: commit to the server's commit while online: median %.1f ms,"
                + " p99 %.1f ms, max %.1f ms (%d samples)%n", micros.get(micros.size() / 2) / 1e3,
                micros.get(micros.size() * 99 / 100) / 1e3, micros.get(micros.size() - 1) / 1e3, micros.size());
    }

    private static Forwarder forwarder(PostgresServer server, LocalStore store, String name, int batch) {
        OutputSettings s = new OutputSettings(name, name + ".cfg", "postgresql", server.url(), PostgresServer.USER, "",
                name, batch);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        ds.setReWriteBatchedInserts(true); // as the output sets it through the driver's DataSourceFactory
        return new Forwarder(s, store.log, new PostgresPeer(ds::getConnection, s.node()), new PostgresFailures(s), TimeUnit.SECONDS.toNanos(5),
                TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(1));
    }

    static long count(PostgresServer server, String sql) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
