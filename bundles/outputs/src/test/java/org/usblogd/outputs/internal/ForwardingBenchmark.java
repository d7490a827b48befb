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
import org.usblogd.api.store.SourceChannel;
import org.usblogd.api.store.StoredSample;
import org.usblogd.testing.mosquitto.MosquittoBroker;
import org.usblogd.testing.postgres.PostgresServer;

/**
 * bench/outputs: how fast an output catches up with a one-hour backlog shaped like the demo's (a power meter's
 * three channels at 100 samples/s, twelve sensor channels at one a second) into PostgreSQL and into Mosquitto,
 * against reading that backlog from the store alone in the same run, and how long a sample takes from its
 * commit to the peer's acknowledgement while the output keeps up. Prints figures, asserts nothing; not run by the suite
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
        Assumptions.assumeTrue(MosquittoBroker.installed(), "needs Mosquitto");
        try (PostgresServer server = PostgresServer.start(bin.get()); MosquittoBroker broker = MosquittoBroker.start()) {
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
            // the baseline, in the same run: reading the backlog from the store alone, as an output reads it
            double read = readAll(store, total);
            System.out.printf(Locale.ROOT, "output bench: baseline: reading the one-hour demo backlog (%d samples)"
                    + " from the store alone: %.2f s, %.0f samples/s%n", total, total / read, read);
            for (int batch : List.of(1_000, 10_000)) {
                Forwarder f = postgres(server, store, "pg" + batch, batch);
                catchUp(f, total, "PostgreSQL, batch " + batch, read);
                if (batch == 10_000) {
                    latency(store, f, "PostgreSQL: commit to the server's commit");
                }
                f.stop();
            }
            for (int perMessage : List.of(1, 100)) {
                Forwarder f = mqtt(broker, store, "mqtt" + perMessage, perMessage);
                catchUp(f, total, "Mosquitto, QoS 1, " + perMessage + " sample" + (perMessage == 1 ? "" : "s")
                        + " per message", read);
                if (perMessage == 1) {
                    latency(store, f, "Mosquitto: commit to the broker's acknowledgement");
                }
                f.stop();
            }
        }
    }

    /** @return samples/s */
    private static double readAll(LocalStore store, long total) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        for (SourceChannel ch : store.log.channels("baseline")) {
            long after = ch.forwardedMicros();
            List<StoredSample> got;
            while (!(got = store.log.samplesAfter(ch, after, 10_000)).isEmpty()) {
                n += got.size();
                after = got.get(got.size() - 1).timeMicros();
            }
        }
        if (n != total) {
            throw new AssertionError("read " + n + " of " + total);
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static void catchUp(Forwarder f, long total, String what, double baseline) throws Exception {
        long start = System.nanoTime();
        f.start();
        while (f.status().forwardedSamples() < total) {
            Thread.sleep(20);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "output bench: catch-up of the one-hour demo backlog into %s: %.1f s,"
                + " %.0f samples/s (%.2f of the baseline)%n", what, s, total / s, total / s / baseline);
    }

    /** Commit to the peer's acknowledgement, one sample every 50 ms, as the store's listener wakes the output. */
    private static void latency(LocalStore store, Forwarder f, String what) throws Exception {
        long id = store.channel("1209:0001@v1-99", "live" + what.length(), "1");
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
        System.out.printf(Locale.ROOT, "output bench: %s while online: median %.1f ms,"
                + " p99 %.1f ms, max %.1f ms (%d samples)%n", what, micros.get(micros.size() / 2) / 1e3,
                micros.get(micros.size() * 99 / 100) / 1e3, micros.get(micros.size() - 1) / 1e3, micros.size());
    }

    private static Forwarder mqtt(MosquittoBroker broker, LocalStore store, String name, int perMessage) {
        OutputSettings s = new OutputSettings(name, name + ".cfg", "mqtt", broker.url(), "", "", name, 1_000,
                new OutputSettings.Mqtt("usblogd", "", perMessage, true, "homeassistant"));
        return new Forwarder(s, store.log, new MqttPeer(s), new MqttFailures(s), TimeUnit.SECONDS.toNanos(5),
                TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(1));
    }

    private static Forwarder postgres(PostgresServer server, LocalStore store, String name, int batch) {
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
