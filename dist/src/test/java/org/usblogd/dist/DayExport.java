package org.usblogd.dist;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * One channel-day at 10 samples/s (864,000 samples of a host-timed temperature, {@link TemperatureBlocks}) in a
 * state directory as the store writes it, exported three ways: through the store in this JVM (warm), as the
 * command {@code usblogd export ... > FILE} of the assembled installation (JVM start included), and, the
 * baseline, the same day as rows (one per sample, primary key) read in time order in this JVM.
 */
final class DayExport {
    static final long SAMPLES = 864_000;
    private static final String DEVICE = "413d:2107@1-2";
    private static final long DAY_START = 1_795_000_000_000_000L;

    private DayExport() {
    }

    /**
     * @param inProcessMs best of three (the first warms the JIT, as a long-running daemon is)
     * @param firstCommandMs the first run of the command, which also writes the launcher's class archive
     * @param commandMs best of {@code commandRuns} runs of the command after it, which start from that archive
     * @param versionMs best run of {@code usblogd --version}: the JVM and launcher alone
     * @param rowsMs the baseline, best of three
     */
    record Result(double inProcessMs, double firstCommandMs, double commandMs, double versionMs, double rowsMs, double bytesPerSample,
            double rowBytesPerSample, long csvBytes) {
    }

    static Result run(Path dir, Path home, int commandRuns) throws Exception {
        Path state = dir.resolve("state");
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            TemperatureBlocks.write(c, DEVICE, null, DAY_START, SAMPLES, 2);
            s.execute("SHUTDOWN COMPACT");
        }
        double bytesPerSample = StoreBenchmark.size(location.directory()) / (double) SAMPLES;

        double inProcess = inProcess(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN"); // the command opens the file itself
        }

        Path csv = dir.resolve("day.csv");
        Instant from = Instant.ofEpochSecond(DAY_START / 1_000_000);
        List<String> export = List.of("--state", state.toString(), "export", "--device", DEVICE, "--channel",
                TemperatureBlocks.CHANNEL, "--from", from.toString(), "--to", from.plusSeconds(86_400).toString());
        double first = command(home, export, csv, dir);
        double command = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, commandRuns); i++) {
            command = Math.min(command, command(home, export, csv, dir));
            long rows = csvRows(csv);
            if (rows != SAMPLES) {
                throw new IllegalStateException("usblogd export wrote " + rows + " rows of " + SAMPLES + " into " + csv);
            }
        }
        long csvBytes = Files.size(csv);
        double version = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, commandRuns); i++) {
            version = Math.min(version, command(home, List.of("--version"), dir.resolve("version.txt"), dir));
        }

        double[] rows = rows(dir.resolve("rows"));
        return new Result(inProcess, first, command, version, rows[0], bytesPerSample, rows[1], csvBytes);
    }

    private static double inProcess(JdbcDataSource ds) throws Exception {
        SqlSampleStore store = new SqlSampleStore(ds);
        StringBuilder csv = new StringBuilder();
        Instant from = Instant.ofEpochSecond(DAY_START / 1_000_000);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            csv.setLength(0);
            long start = System.nanoTime();
            long count = store.samples(new SampleQuery(DEVICE, TemperatureBlocks.CHANNEL, from, from.plusSeconds(86_400)),
                    x -> csv.append(x.timeMicros()).append(',').append(x.value()).append('\n'));
            best = Math.min(best, System.nanoTime() - start);
            if (count != SAMPLES) {
                throw new IllegalStateException("exported " + count + " of " + SAMPLES);
            }
        }
        return best / 1e6;
    }

    /** The milliseconds from starting {@code bin/usblogd args} to its exit, its standard output into {@code out}. */
    private static double command(Path home, List<String> args, Path out, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/usblogd").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("USBLOGD_STATE");
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString()); // deleted with the rest
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 300 s");
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + Files.readString(out.resolveSibling(out.getFileName() + ".err")).strip());
        }
        return ms;
    }

    /** Data rows of an exported CSV (the header not counted). */
    private static long csvRows(Path csv) throws Exception {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            while (r.readLine() != null) {
                n++;
            }
        }
        return Math.max(0, n - 1);
    }

    /** The baseline: the same day as a row per sample, read in time order; best ms of three and bytes per sample. */
    private static double[] rows(Path dir) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("rows") + ";WRITE_DELAY=0");
        ds.setUser(StoreLocation.USER);
        ds.setPassword("");
        long best = Long.MAX_VALUE;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sample(channel_id INT NOT NULL, t BIGINT NOT NULL, v DOUBLE PRECISION NOT NULL,"
                    + " PRIMARY KEY(channel_id, t))");
            c.setAutoCommit(false);
            // the same signal as TemperatureBlocks: 10 Hz, ±1 ms of jitter, the value wandering by hundredths
            Random r = new Random(2);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample VALUES (1, ?, ?)")) {
                long nominal = DAY_START;
                long last = DAY_START - 1;
                double temperature = 21.41;
                for (long i = 0; i < SAMPLES; i++) {
                    long t = Math.max(nominal + r.nextInt(2_001) - 1_000, last + 1);
                    last = t;
                    nominal += 100_000;
                    temperature = Math.round((temperature + (r.nextInt(5) - 2) * 0.01) * 100) / 100.0;
                    ps.setLong(1, t);
                    ps.setDouble(2, temperature);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            StringBuilder csv = new StringBuilder();
            for (int round = 0; round < 3; round++) {
                csv.setLength(0);
                long start = System.nanoTime();
                long count = 0;
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT t, v FROM sample WHERE channel_id = 1 AND t >= ? AND t < ? ORDER BY t")) {
                    q.setLong(1, DAY_START);
                    q.setLong(2, DAY_START + 86_400_000_000L);
                    q.setFetchSize(10_000);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            csv.append(rs.getLong(1)).append(',').append(rs.getDouble(2)).append('\n');
                            count++;
                        }
                    }
                }
                best = Math.min(best, System.nanoTime() - start);
                if (count != SAMPLES) {
                    throw new IllegalStateException("the rows gave " + count + " of " + SAMPLES);
                }
            }
            s.execute("SHUTDOWN COMPACT");
        }
        return new double[] { best / 1e6, StoreBenchmark.size(dir) / (double) SAMPLES };
    }
}
