package org.usblogd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.h2.jdbcx.JdbcDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.usblogd.api.health.HealthCheck;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.framework.Daemon;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * bench/store: the store's figures, each against a baseline measured in the same run.
 * <ol>
 * <li>baseline: JDBC batch inserts of (channel, time, value) rows with a primary key into an H2 file;</li>
 * <li>end-to-end ingest: the assembled daemon in Felix, simulated sample streams on the virtual bus, the
 * stream driver, the sink, the writer and the H2 file: sustained samples/s, drops, bytes on disk per sample;</li>
 * <li>export of one channel-day at 10 samples/s (a temperature with clock jitter), and its bytes per sample;</li>
 * <li>visibility: the age of the newest sample a query sees while 100,000 samples/s arrive, p50 and p99.</li>
 * </ol>
 * Prints figures; asserts nothing.
 */
public final class StoreBenchmark {
    private static final long DAY_START = 1_795_000_000_000_000L;

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("usblogd-store-bench");
        int rows = Integer.getInteger("usblogd.bench.rows", 2_000_000);
        long offered = Long.getLong("usblogd.bench.rate", 1_200_000);
        System.out.println("store bench: in " + dir + " (" + Runtime.getRuntime().availableProcessors() + " cores)");

        double[] baseline = baseline(dir.resolve("baseline"), rows);
        System.out.printf("store bench: baseline, row per sample with a primary key: %,.0f samples/s, %.1f bytes/sample (%,d rows)%n",
                baseline[0], baseline[1], rows);

        double[] ingest = endToEnd(dir.resolve("ingest"), offered, Integer.getInteger("usblogd.bench.seconds", 30));
        System.out.printf("store bench: end to end (twin -> driver -> sink -> writer -> H2), %,d samples/s offered: %,.0f samples/s"
                + " stored (%.1fx baseline), %,.0f dropped, %.2f bytes/sample on disk (%.0fx smaller)%n", offered,
                ingest[0], ingest[0] / baseline[0], ingest[1], ingest[2], baseline[1] / ingest[2]);

        double[] day = channelDay(dir.resolve("day"));
        System.out.printf("store bench: one channel-day at 10 samples/s (864,000 samples): export %.0f ms, %.2f bytes/sample on disk"
                + " (%.0fx smaller than the baseline's rows)%n", day[0], day[1], baseline[1] / day[1]);

        double[] latency = visibility(dir.resolve("latency"));
        System.out.printf("store bench: visibility at 100,000 samples/s: age of the newest sample a query sees p50 %.0f ms, p99 %.0f ms"
                + " (%d queries)%n", latency[0], latency[1], (long) latency[2]);
    }

    /** Row per sample, as the first schema did: samples/s and bytes per sample. */
    static double[] baseline(Path dir, int n) throws SQLException {
        JdbcDataSource ds = rowsDataSource(dir.resolve("rows"));
        Random r = new Random(1);
        long start;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sample(channel_id INT NOT NULL, t BIGINT NOT NULL, v DOUBLE PRECISION NOT NULL,"
                    + " PRIMARY KEY(channel_id, t))");
            c.setAutoCommit(false);
            start = System.nanoTime();
            // as the first release's writer did: samples of ten channels as they come, times from the host's
            // clock, batches of 1000 committed one by one
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample(channel_id, t, v) VALUES (?, ?, ?)")) {
                int value = 2_000;
                long t = DAY_START;
                for (int i = 0; i < n; i++) {
                    value += r.nextInt(5) - 2;
                    t += 1 + r.nextInt(200);
                    ps.setInt(1, r.nextInt(10));
                    ps.setLong(2, t);
                    ps.setDouble(3, value / 100.0);
                    ps.addBatch();
                    if (i % 1_000 == 999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            s.execute("SHUTDOWN");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] { n / seconds, size(dir) / (double) n };
    }

    /** The assembled daemon in Felix storing simulated streams: stored samples/s, dropped, bytes per sample. */
    static double[] endToEnd(Path dir, long offered, int seconds) throws Exception {
        Path home = dir.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), home.resolve("plugins/counter-driver.jar"));
        // two streams, each sample a value and its sequence number
        Files.writeString(home.resolve("conf/org.usblogd.sim.streams.cfg"), "count = 2\nrate = " + offered / 4 + "\n");
        Path state = dir.resolve("state");
        Daemon daemon = new Daemon(home, state, false);
        Framework fw = daemon.start();
        long[] first;
        long[] last;
        try {
            HealthCheck health = health(fw.getBundleContext());
            long deadline = System.currentTimeMillis() + 30_000;
            while (written(health) < 1_000_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            first = new long[] { System.nanoTime(), written(health), dropped(health) };
            Thread.sleep(seconds * 1_000L);
            last = new long[] { System.nanoTime(), written(health), dropped(health) };
        } finally {
            daemon.stop();
        }
        double s = (last[0] - first[0]) / 1e9;
        long onDisk = size(state.resolve("db"));
        long stored = stored(state);
        return new double[] { (last[1] - first[1]) / s, last[2] - first[2], onDisk / (double) stored };
    }

    /** A temperature at 10 Hz with ±1 ms of clock jitter for a day, in the store's blocks: export ms, bytes/sample. */
    static double[] channelDay(Path dir) throws Exception {
        JdbcDataSource ds = dataSource(dir.resolve("usblogd"));
        int n = 864_000;
        try (Connection c = ds.getConnection()) {
            TemperatureBlocks.write(c, "413d:2107@1-2", null, DAY_START, n, 2);
        }
        SqlSampleStore store = new SqlSampleStore(ds);
        StringBuilder csv = new StringBuilder();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the first round warms the JIT, as a long-running daemon is
            csv.setLength(0);
            long start = System.nanoTime();
            long count = store.samples(new SampleQuery("413d:2107@1-2", "temperature", Instant.ofEpochSecond(
                    DAY_START / 1_000_000), Instant.ofEpochSecond(DAY_START / 1_000_000 + 86_400)), x -> csv
                            .append(x.timeMicros()).append(',').append(x.value()).append('\n'));
            best = Math.min(best, System.nanoTime() - start);
            if (count != n) {
                throw new IllegalStateException("exported " + count + " of " + n);
            }
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
        return new double[] { best / 1e6, size(dir) / (double) n };
    }

    /** The age of the newest visible sample while one stream delivers 100,000 samples/s: p50, p99, queries. */
    static double[] visibility(Path dir) throws Exception {
        Path home = dir.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), home.resolve("plugins/counter-driver.jar"));
        Files.writeString(home.resolve("conf/org.usblogd.sim.streams.cfg"), "count = 1\nrate = 50000\n");
        Path state = dir.resolve("state");
        Daemon daemon = new Daemon(home, state, false);
        daemon.start();
        List<Long> ages = new ArrayList<>();
        try {
            StoreLocation db = new StoreLocation(state);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(db.serverFile()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(db.serverUrl(Integer.parseInt(Files.readString(db.serverFile()).strip())));
            ds.setUser(StoreLocation.USER);
            ds.setPassword(db.password());
            SqlSampleStore store = new SqlSampleStore(ds);
            Thread.sleep(3_000);
            long end = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < end) {
                long[] newest = { Long.MIN_VALUE };
                store.samples(new SampleQuery("1209:0011:STREAM01", "seq", Instant.now().minusSeconds(1), null),
                        x -> newest[0] = Math.max(newest[0], x.timeMicros()));
                long now = Instant.now().toEpochMilli() * 1_000;
                if (newest[0] != Long.MIN_VALUE) {
                    ages.add((now - newest[0]) / 1_000);
                }
                Thread.sleep(10);
            }
        } finally {
            daemon.stop();
        }
        long[] sorted = ages.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] { percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length };
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private static HealthCheck health(BundleContext context) throws Exception {
        // "All": the store is also a SampleRecorder, of which the launcher's class path has a copy of its own
        ServiceReference<?>[] refs =
                context.getAllServiceReferences(HealthCheck.class.getName(), "(" + HealthCheck.PART + "=store-writer)");
        if (refs == null) {
            throw new IllegalStateException("no store health service");
        }
        return (HealthCheck) context.getService(refs[0]);
    }

    private static long written(HealthCheck health) {
        return ((Number) health.health().figures().get("written")).longValue();
    }

    private static long dropped(HealthCheck health) {
        return ((Number) health.health().figures().get("dropped")).longValue();
    }

    private static long stored(Path state) throws Exception {
        JdbcDataSource ds = dataSource(state.resolve("db/usblogd"));
        ds.setPassword(new StoreLocation(state).password());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COALESCE(SUM(n), 0), COALESCE(SUM(LENGTH(data)), 0), COUNT(*)"
                        + " FROM sample_block")) {
            rs.next();
            long n = rs.getLong(1);
            System.out.printf("store bench:   (%,d samples in %,d blocks, %.2f bytes/sample encoded, the rest is the"
                    + " database file's own)%n", n, rs.getLong(3), rs.getLong(2) / (double) n);
            s.execute("SHUTDOWN COMPACT");
            System.out.printf("store bench:   (compacted offline afterwards: %.2f bytes/sample)%n",
                    size(state.resolve("db")) / (double) n);
            return n;
        }
    }

    /** The store's own settings (StoreLocation), for the files of blocks. */
    private static JdbcDataSource dataSource(Path file) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file + ";WRITE_DELAY=0;RETENTION_TIME=5000;COMPRESS=TRUE");
        ds.setUser(StoreLocation.USER);
        ds.setPassword("");
        return ds;
    }

    /** H2's defaults, as the first release's row-per-sample store had them. */
    private static JdbcDataSource rowsDataSource(Path file) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file + ";WRITE_DELAY=0");
        ds.setUser(StoreLocation.USER);
        ds.setPassword("");
        return ds;
    }

    private static long size(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".db")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
