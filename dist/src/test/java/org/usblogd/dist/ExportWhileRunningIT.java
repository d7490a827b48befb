package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * How much slower {@code usblogd export} of one channel-day (864,000 samples) is while the demo daemon runs
 * and writes (read through its database server) than with the daemon stopped (read from the file), and how
 * much of that the server path costs: the same export from a copy of the file, no daemon on it, while the
 * daemon runs beside (the machine as busy, no server in the way). Prints the wall-clock times of the whole
 * command, best of three, and the ratios. Asserts only that the exports are the same rows; the ratios are
 * figures for the README.
 */
class ExportWhileRunningIT {
    private static final long DAY_START = 1_795_000_000_000_000L;
    private static final String DAY_DEVICE = "413d:2107@9-9";
    private static final int SAMPLES = 864_000;

    @TempDir
    Path tmp;

    @Test
    void exportOfAChannelDayWhileTheDaemonWritesAgainstTheDaemonStopped() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        channelDay(state);
        Path copy = tmp.resolve("copy");
        copyTree(state, copy);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile());
        pb.environment().remove("LD_PRELOAD");
        Process daemon = pb.start();
        long[] running;
        long[] besides;
        String servedRows;
        try {
            Samples samples = new Samples(state);
            Dist.await("CO2 samples from the demo", 60_000,
                    HungPluginIT.quietly(() -> !samples.times("04d9:a052@v1-1", "co2").isEmpty()));
            running = new long[3];
            servedRows = null;
            for (int i = 0; i < running.length; i++) {
                long t0 = System.nanoTime();
                Cli.Result r = export(home, state);
                running[i] = (System.nanoTime() - t0) / 1_000_000;
                servedRows = r.out();
            }
            besides = new long[3];
            for (int i = 0; i < besides.length; i++) {
                long t0 = System.nanoTime();
                export(home, copy);
                besides[i] = (System.nanoTime() - t0) / 1_000_000;
            }
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        long[] stopped = new long[3];
        String fileRows = null;
        for (int i = 0; i < stopped.length; i++) {
            long t0 = System.nanoTime();
            Cli.Result r = export(home, state);
            stopped[i] = (System.nanoTime() - t0) / 1_000_000;
            fileRows = r.out();
        }
        assertThat(servedRows).as("the same rows either way").isEqualTo(fileRows);
        long best = Arrays.stream(running).min().orElseThrow();
        long bestStopped = Arrays.stream(stopped).min().orElseThrow();
        long bestBesides = Arrays.stream(besides).min().orElseThrow();
        System.out.printf("export of a channel-day (%,d samples, CSV): through the running daemon %s ms, from a copy"
                + " of the file while it runs %s ms, daemon stopped %s ms; best: running/stopped %.2fx,"
                + " running/copy %.2fx (the server path), copy/stopped %.2fx (the busy machine)%n", SAMPLES,
                Arrays.toString(running), Arrays.toString(besides), Arrays.toString(stopped),
                best / (double) bestStopped, best / (double) bestBesides, bestBesides / (double) bestStopped);
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static Cli.Result export(Path home, Path state) throws Exception {
        Cli.Result r = Cli.run(home, List.of(), Map.of(), "export", "--device", DAY_DEVICE, "--state",
                state.toString());
        assertThat(r.exit()).as("%s", r.err()).isZero();
        assertThat(r.out().lines().count()).isEqualTo(SAMPLES + 1);
        return r;
    }

    /** A temperature at 10 Hz with ±1 ms of jitter for a day, in sealed blocks of 4096, as the store writes it. */
    private static void channelDay(Path state) throws Exception {
        StoreLocation db = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(db.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(db.password());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            TemperatureBlocks.write(c, DAY_DEVICE, null, DAY_START, SAMPLES, 2);
            s.execute("SHUTDOWN");
        }
    }
}
