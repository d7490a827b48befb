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
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * bench/store: the store's figures, each against a baseline measured in the same run.
 * <ol>
 * <li>baseline: JDBC batch inserts of (channel, time, value) rows with a primary key into an H2 file, as the
 * first release stored samples;</li>
 * <li>ceiling: the assembled daemon in Felix, sample stream twins on the virtual bus, the stream driver, the sink,
 * the writer and the H2 file, offered more and more (doubling) until it no longer keeps up; the highest rate it
 * stored over a steady window, what the twins delivered and what was dropped at each step;</li>
 * <li>overload: twice that ceiling offered; what it stores then, against the ceiling;</li>
 * <li>realistic signals: the demo's TEMPer twins polled at 10 Hz and its FNIRSI power meter at 100 Hz, read by
 * the real drivers: bytes per sample of each, beside the streams';</li>
 * <li>export of one channel-day at 10 samples/s in this JVM and as the command {@code usblogd export} (JVM start
 * included), against the same day read as rows;</li>
 * <li>visibility: the age of the newest sample a query sees while 100,000 samples/s arrive, p50 and p99;</li>
 * <li>sigrok-cli's demo driver captured to CSV, when sigrok-cli is installed.</li>
 * </ol>
 * Prints figures; asserts nothing. Deletes its temporary directory at the end, also after a failure or Ctrl-C.
 */
public final class StoreBenchmark {
    private static final String P = "store bench: ";
    private static final long DAY_START = 1_795_000_000_000_000L;
    private static final long TARGET_RATE = 6_000_000;
    private static final long TARGET_P99_MS = 250;

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("usblogd-store-bench");
        Thread cleanup = new Thread(() -> delete(dir), "store-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C, or the build killing the benchmark
        try {
            run(dir);
        } finally {
            delete(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            System.out.println(P + (Files.exists(dir) ? "could not delete all of " + dir : "deleted " + dir));
        }
    }

    private static void run(Path dir) throws Exception {
        Set<String> parts = Set.of(System.getProperty("usblogd.bench.parts",
                "ceiling,overload,realistic,day,visibility,sigrok").split(","));
        int rows = Integer.getInteger("usblogd.bench.rows", 1_000_000);
        int cores = Runtime.getRuntime().availableProcessors();
        double[] load = loadAverage();
        System.out.printf(P + "in %s, %d cores; load average before the run %.2f %.2f %.2f: %s%n", dir, cores, load[0],
                load[1], load[2], load[0] < 0.5 ? "quiet" : "BUSY (figures are noisy; run again on a quiet machine)");

        double[] baseline = baseline(dir.resolve("baseline"), rows);
        System.out.printf(P + "baseline, a row per sample with a primary key (JDBC batches of 1000 into an H2 file):"
                + " %,.0f samples/s, %.1f bytes/sample on disk (%,d rows)%n", baseline[0], baseline[1], rows);

        // one part failing (the code under test may have changed under the benchmark) leaves the others' figures
        List<String> failed = new ArrayList<>();
        double[] ceiling = { Double.NaN };
        if (parts.contains("ceiling") || parts.contains("overload")) {
            part("ceiling", failed, () -> ceiling[0] = ingest(dir.resolve("ingest"), parts, baseline));
        }
        if (parts.contains("realistic")) {
            part("realistic", failed, () -> realistic(dir.resolve("realistic"), baseline));
        }
        if (parts.contains("day")) {
            part("day", failed, () -> day(dir.resolve("day"), baseline));
        }
        if (parts.contains("visibility")) {
            part("visibility", failed, () -> visibility(dir.resolve("latency"),
                    Integer.getInteger("usblogd.bench.visibilitySeconds", 10)));
        }
        if (parts.contains("sigrok")) {
            part("sigrok", failed, () -> sigrok(dir.resolve("sigrok"), baseline, ceiling[0]));
        }
        load = loadAverage();
        System.out.printf(P + "load average after the run %.2f %.2f %.2f%n", load[0], load[1], load[2]);
        if (!failed.isEmpty()) {
            throw new IllegalStateException("parts that failed: " + failed);
        }
    }

    /** A part of the benchmark; what it measures it prints. */
    private interface Part {
        void run() throws Exception;
    }

    private static void part(String name, List<String> failed, Part part) {
        try {
            part.run();
        } catch (Exception | Error e) {
            failed.add(name);
            System.out.println(P + name + ": FAILED, no figures: " + e);
            e.printStackTrace();
        }
    }

    /** The ceiling (stepping the offered rate up) and twice it offered; returns the ceiling in samples/s. */
    private static double ingest(Path dir, Set<String> parts, double[] baseline) throws Exception {
        double ceiling;
        long offered = Long.getLong("usblogd.bench.rate", 2_000_000);
        long maxRate = Long.getLong("usblogd.bench.maxRate", 32_000_000);
        int streams = Integer.getInteger("usblogd.bench.streams", 2);
        int window = Integer.getInteger("usblogd.bench.seconds", 10);
        int settle = Integer.getInteger("usblogd.bench.settle", 5);
        System.out.printf(P + "end to end: %d stream twins -> stream driver -> sink -> writer -> H2 file, all in this"
                + " JVM on %d cores; each offered rate held %d s to settle, then measured over %d s%n", streams,
                Runtime.getRuntime().availableProcessors(), settle, window);
        long[] stored;
        try (StreamIngest ingest = StreamIngest.start(dir, streams, offered)) {
            StreamIngest.Step best = highest(ingest, offered, maxRate, settle, window, baseline);
            ceiling = best.sustained();
            System.out.printf(P + "ceiling: %,.0f samples/s stored into the H2 file, the highest over a %.0f s window"
                    + " (offered %,d; %.1fx the baseline; target %,d: %s)%n", ceiling, best.seconds(), best.offered(),
                    ceiling / baseline[0], TARGET_RATE, ceiling >= TARGET_RATE ? "met" : "NOT met");
            if (best.sourceLimited()) {
                System.out.printf(P + "  (at that step the twins and their driver delivered %,.0f samples/s and the store"
                        + " dropped next to nothing: the simulator set this ceiling, the store's own is higher)%n",
                        best.read());
            }
            if (parts.contains("overload") && ceiling >= 1) {
                StreamIngest.Step overload = step(ingest, Math.round(2 * ceiling), settle, window, baseline);
                System.out.printf(P + "overload, twice the ceiling offered: stored %,.0f samples/s, %.2fx the ceiling"
                        + " (target: not below it, 1.00)%n", overload.stored(), overload.stored() / ceiling);
            } else if (parts.contains("overload")) {
                System.out.println(P + "overload: skipped, nothing was stored at any rate offered");
            }
            ingest.close();
            stored = ingest.stored();
        }
        System.out.printf(P + "bytes/sample, the streams (a numbered sample and a random walk in hundredths, device-timed):"
                + " %.2f on disk as the daemon left it, %.2f compacted offline (%.0fx smaller than the baseline's rows);"
                + " %.2f encoded in blocks (%,d samples)%n", stored[2] / (double) stored[0], stored[3] / (double) stored[0],
                baseline[1] / (stored[3] / (double) stored[0]), stored[1] / (double) stored[0], stored[0]);
        return ceiling;
    }

    /**
     * The step that stored the most: the offered rate doubled while that stores more (by 5 %), so that the last
     * step offers more than the store takes, and, when the first rate already lost samples, halved down to a rate
     * it keeps up with (a store that does worse under overload shows its ceiling there). The ceiling is what it
     * stores when offered more than it takes, not what was offered.
     */
    private static StreamIngest.Step highest(StreamIngest ingest, long offered, long maxRate, int settle, int window,
            double[] baseline) throws Exception {
        long minRate = Math.max(10_000, offered / 64);
        List<StreamIngest.Step> steps = new ArrayList<>();
        StreamIngest.Step first = step(ingest, offered, settle, window, baseline);
        steps.add(first);
        StreamIngest.Step best = first;
        for (long rate = offered * 2; rate <= maxRate; rate *= 2) {
            StreamIngest.Step s = step(ingest, rate, settle, window, baseline);
            steps.add(s);
            boolean more = s.sustained() >= 1.05 * best.sustained();
            best = s.sustained() > best.sustained() ? s : best;
            if (!more) {
                break;
            }
            if (rate * 2 > maxRate) {
                System.out.printf(P + "  stored more at every rate offered, up to usblogd.bench.maxRate=%,d: the"
                        + " ceiling is above it%n", maxRate);
            }
        }
        for (long rate = offered / 2; !first.keptUp() && rate >= minRate; rate /= 2) {
            StreamIngest.Step s = step(ingest, rate, settle, window, baseline);
            steps.add(s);
            best = s.sustained() > best.sustained() ? s : best;
            if (s.keptUp()) {
                break;
            }
        }
        steps.stream().filter(StreamIngest.Step::keptUp).mapToLong(StreamIngest.Step::offered).max().ifPresentOrElse(
                r -> System.out.printf(P + "  kept up (stored >= 95 %% of offered, dropped <= 1 %%) with up to %,d"
                        + " samples/s offered%n", r),
                () -> System.out.println(P + "  kept up with none of the rates offered"));
        return best;
    }

    /** One offered rate, measured and printed. */
    private static StreamIngest.Step step(StreamIngest ingest, long offered, int settle, int window,
            double[] baseline) throws Exception {
        StreamIngest.Step s = ingest.offer(offered, settle, window);
        System.out.printf(P + "  offered %,d samples/s: read from the twins %,.0f, stored %,.0f (%.2fx offered, %.1fx the"
                + " baseline), dropped by the store %,.0f/s%s%s%n", s.offered(), s.read(), s.stored(),
                s.stored() / s.offered(), s.stored() / baseline[0], s.dropped(),
                s.stored() > 1.05 * s.read() ? "; stored more than read: a backlog from before the window drained in it"
                        : "",
                s.sourceLimited() ? "; the twins and their driver delivered only " + Math.round(100 * s.read() / s.offered())
                        + " % of the offered rate (their FIFOs overflowed): the simulator, not the store, was the limit"
                        : s.keptUp() ? "; kept up" : "");
        return s;
    }

    private static void realistic(Path dir, double[] baseline) throws Exception {
        int seconds = Integer.getInteger("usblogd.bench.realSeconds", 60);
        RealisticSignals.Result r = RealisticSignals.run(dir, seconds);
        RealisticSignals.Channel temperature = RealisticSignals.temperature(r);
        System.out.printf(P + "realistic signals, the demo's twins through the real drivers for %d s (encoded bytes"
                + " per sample in blocks, and x smaller than the baseline's %.1f on disk):%n", seconds, baseline[1]);
        realisticLine("3 TEMPer thermometers polled at 10 Hz, host-timed, 0.01 °C", temperature, baseline);
        for (String channel : List.of("voltage", "current")) {
            realisticLine("FNIRSI FNB58 power meter at 100 Hz, " + channel, RealisticSignals.powerMeter(r, channel),
                    baseline);
        }
        System.out.printf(P + "  the whole demo file compacted offline: %.2f bytes/sample (%,d samples of all its"
                + " devices; a few minutes of samples do not fill the file's pages: a day's figure is below)%n",
                r.fileBytes() / (double) r.samples(), r.samples());
    }

    private static void realisticLine(String what, RealisticSignals.Channel c, double[] baseline) {
        if (c.samples() == 0) {
            System.out.println(P + "  " + what + ": no samples stored");
            return;
        }
        System.out.printf(P + "  %s: %.2f bytes/sample (%.0fx smaller; %,d samples in %d block rows)%n", what,
                c.bytesPerSample(), baseline[1] / c.bytesPerSample(), c.samples(), c.blocks());
    }

    private static void day(Path dir, double[] baseline) throws Exception {
        DayExport.Result d = DayExport.run(dir, Dist.home(), Integer.getInteger("usblogd.bench.exportRuns", 3));
        System.out.printf(P + "one channel-day at 10 samples/s (864,000 samples, a host-timed temperature with ±1 ms"
                + " of jitter) in the store's blocks: %.2f bytes/sample on disk (%.0fx smaller than the same day as rows,"
                + " %.1f)%n", d.bytesPerSample(), d.rowBytesPerSample() / d.bytesPerSample(), d.rowBytesPerSample());
        System.out.printf(P + "  export in this JVM: %.0f ms (the same day read as rows: %.0f ms, %.1fx)%n",
                d.inProcessMs(), d.rowsMs(), d.rowsMs() / d.inProcessMs());
        System.out.printf(P + "  usblogd export ... > file as a command, JVM start included: %.0f ms (%.1fx the export"
                + " in this JVM, %.2fx the rows' read; %,d bytes of CSV; usblogd --version alone %.0f ms; the first run,"
                + " which also writes the launcher's class archive, %.0f ms)%n", d.commandMs(), d.commandMs() / d.inProcessMs(),
                d.commandMs() / d.rowsMs(), d.csvBytes(), d.versionMs(), d.firstCommandMs());
    }

    private static void sigrok(Path dir, double[] baseline, double ceiling) throws Exception {
        Path cli = SigrokDemo.find();
        if (cli == null) {
            System.out.println(P + "sigrok-cli: skipped, not installed (apt-get install sigrok-cli, then run again)");
            return;
        }
        SigrokDemo.Result r = SigrokDemo.run(cli, dir, System.getProperty("usblogd.bench.sigrokRate", "100M"),
                System.getProperty("usblogd.bench.sigrokChannels", "A0"),
                Long.getLong("usblogd.bench.sigrokSamples", 5_000_000));
        if (r.skipped() != null) {
            System.out.println(P + "sigrok-cli: no figure: " + r.skipped());
            return;
        }
        System.out.printf(P + "sigrok-cli --driver demo to CSV: %,.0f samples/s (%,d rows; %.1fx the baseline%s)%n",
                r.samplesPerSecond(), r.samples(), r.samplesPerSecond() / baseline[0], Double.isNaN(ceiling) ? ""
                        : String.format("; the store's ceiling is %.2fx it", ceiling / r.samplesPerSecond()));
    }

    /** Row per sample, as the first schema did: samples/s and bytes per sample. */
    static double[] baseline(Path dir, int n) throws SQLException {
        JdbcDataSource ds = new JdbcDataSource(); // H2's defaults, as the first release's row-per-sample store had them
        ds.setURL("jdbc:h2:file:" + dir.resolve("rows") + ";WRITE_DELAY=0");
        ds.setUser(StoreLocation.USER);
        ds.setPassword("");
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

    /** The age of the newest visible sample while one stream delivers 100,000 samples/s: p50 and p99. */
    static void visibility(Path dir, int seconds) throws Exception {
        List<Long> ages = new ArrayList<>();
        try (StreamIngest ingest = StreamIngest.start(dir, 1, 100_000)) {
            SqlSampleStore store = new SqlSampleStore(ingest.database());
            Thread.sleep(3_000);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long[] newest = { Long.MIN_VALUE };
                store.samples(new SampleQuery("1209:0011:STREAM01", "seq", Instant.now().minusSeconds(1), null),
                        x -> newest[0] = Math.max(newest[0], x.timeMicros()));
                long now = Instant.now().toEpochMilli() * 1_000;
                if (newest[0] != Long.MIN_VALUE) {
                    ages.add((now - newest[0]) / 1_000);
                }
                Thread.sleep(10);
            }
        }
        long[] sorted = ages.stream().mapToLong(Long::longValue).sorted().toArray();
        double p99 = percentile(sorted, 0.99);
        System.out.printf(P + "visibility at 100,000 samples/s: age of the newest sample a query sees p50 %.0f ms,"
                + " p99 %.0f ms (%d queries; p99 %.2fx the target of %d ms: %s)%n", percentile(sorted, 0.50), p99,
                sorted.length, p99 / TARGET_P99_MS, TARGET_P99_MS, p99 <= TARGET_P99_MS ? "met" : "NOT met");
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    /** The 1, 5 and 15 minute load averages (NaN where /proc does not say). */
    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]) };
        } catch (IOException | RuntimeException e) {
            return new double[] { Double.NaN, Double.NaN, Double.NaN };
        }
    }

    /** The bytes of the H2 files under {@code dir}. */
    static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
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

    /** Everything under {@code dir} and itself, as far as it goes: a file that cannot go is left, not fatal. */
    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file still open or already gone: what remains is reported by the caller
                }
            }
        } catch (IOException | RuntimeException e) {
            // the walk met a vanishing directory; the caller reports what remains
        }
    }
}
