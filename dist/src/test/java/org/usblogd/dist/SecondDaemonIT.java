package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon per state directory: a second one started on it says who holds it in one line and exits with a
 * failure, before it touches anything there; the first goes on logging with its framework cache intact.
 */
class SecondDaemonIT {
    @TempDir
    Path tmp;

    @Test
    void aSecondDaemonOnTheSameStateDirectoryExitsWithOneLineAndLeavesTheFirstUntouched() throws Exception {
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("first.log");
        Process first = start(state, log);
        try {
            Samples samples = new Samples(state);
            Dist.await("the first daemon started", 60_000,
                    HungPluginIT.quietly(() -> !samples.events("daemon.started").isEmpty()));
            Dist.await("the first daemon logging", 30_000,
                    HungPluginIT.quietly(() -> Dist.csvRows(export(state)).size() > 10));
            Map<String, Object> cache = files(state.resolve("felix-cache"));
            String logBefore = HungPluginIT.read(log);

            long started = System.nanoTime();
            Cli.Result second = Cli.run(Dist.home(), List.of(), Map.of(), "run", "--state", state.toString());
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(second.exit()).as("%s", second).isNotZero();
            assertThat(second.lines()).as("%s", second).containsExactly(second.lines().get(0));
            assertThat(second.lines().get(0)).as("%s", second).contains(
                    "another usblogd (pid " + first.pid() + ") is running on state directory " + state);
            System.out.println("second daemon refused after " + tookMs + " ms: " + second.lines().get(0));

            assertThat(first.isAlive()).as("the first daemon still runs").isTrue();
            assertThat(files(state.resolve("felix-cache"))).as("the first daemon's framework cache").isEqualTo(cache);
            int rows = Dist.csvRows(export(state)).size();
            Dist.await("the first daemon still logging", 30_000,
                    HungPluginIT.quietly(() -> Dist.csvRows(export(state)).size() > rows));
            assertThat(Dist.usblogd(state, "devices")).contains("04d9:a052@v1-1");
            assertThat(HungPluginIT.read(log).substring(logBefore.length())).as("what the first daemon logged since")
                    .doesNotContain("ERROR", "WARN", "Exception");
        } finally {
            // killed, not stopped: what it leaves behind must not keep the next daemon out
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

        Path next = tmp.resolve("next.log");
        Process third = start(state, next);
        try {
            Dist.await("a daemon started after the first was killed", 60_000,
                    () -> HungPluginIT.read(next).contains("usblogd started"));
        } finally {
            third.destroy();
            assertThat(third.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Process start(Path state, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--demo",
                "--state", state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        return pb.start();
    }

    private static String export(Path state) {
        try {
            return Dist.usblogd(state, "export", "--channel", "co2");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every file of a tree, by relative path, with its inode and modification time. */
    private static Map<String, Object> files(Path root) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                out.put(root.relativize(p).toString(),
                        List.of(Files.getAttribute(p, "unix:ino"), Files.getLastModifiedTime(p).toMillis()));
            }
        }
        return out;
    }
}
