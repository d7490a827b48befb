package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled daemon with a driver plugin whose activation never returns (testing/plugins/hung): other
 * plugins are still added and removed, the hung one is reported as broken, and SIGTERM still stops the daemon
 * within the stop timeout with every accepted sample written.
 */
class HungPluginIT {
    static final String STREAM = "1209:0011:STREAM01";
    static final String COUNTER = HotSwapIT.COUNTER;
    /** The launcher's budget for stopping the framework (Daemon); systemd allows 60 s (TimeoutStopSec). */
    static final long STOP_TIMEOUT_MS = 30_000;
    private static final Pattern LEFT_COUNTER = Pattern.compile("driver counter \\S+ left");
    private static final Pattern LEFT_STREAM = Pattern.compile("driver stream \\S+ left");
    private static final Pattern CLOSED = Pattern.compile(
            "store closed: (\\d+) samples accepted, (\\d+) written, (\\d+) dropped");

    @TempDir
    Path tmp;

    @Test
    void aPluginWhoseActivationNeverReturnsIsReportedAndFreezesNeitherOtherPluginsNorTheShutdown() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path plugins = home.resolve("plugins");
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"), "count = 1\nperiod.ms = 50\n");
        Files.writeString(home.resolve("conf/org.usblogd.sim.streams.cfg"), "count = 1\nrate = 5000\n");
        Files.writeString(home.resolve("conf/org.usblogd.plugins.cfg"), "check.interval.ms = 200\ngrace.ms = 3000\n");
        Path log = tmp.resolve("daemon.log");
        Samples samples = new Samples(state);
        byte[] counterJar = Files.readAllBytes(PluginJars.counterDriver());

        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long sigterm = 0;
        boolean exited;
        try {
            Dist.await("the daemon started", 30_000, quietly(() -> !samples.events("daemon.started").isEmpty()));

            long hungDropped = System.currentTimeMillis();
            PluginJars.drop(Files.readAllBytes(PluginJars.hungDriver()), plugins, "hung-driver.jar");
            Dist.await("the hung driver activating", 20_000, () -> read(log).contains("hung test driver: activating"));

            // Another plugin added while the hung one hangs: its drivers bind their devices, which log.
            PluginJars.drop(counterJar, plugins, "counter-driver.jar");
            Dist.await("samples from a plugin added after the hung one", 20_000,
                    quietly(() -> samples.times(COUNTER, "sequence").size() >= 5
                            && !samples.times(STREAM, "seq").isEmpty()));

            // ... and removed: its drivers leave.
            Files.delete(plugins.resolve("counter-driver.jar"));
            Dist.await("the removed plugin's drivers gone", 20_000, () -> LEFT_COUNTER.matcher(read(log)).find()
                    && LEFT_STREAM.matcher(read(log)).find());

            // The hung plugin is reported once, in the log and as an event naming its jar.
            Dist.await("the hung plugin reported as broken", 30_000, quietly(() -> samples.events("plugin.broken")
                    .stream().anyMatch(m -> m.contains("hung-driver.jar"))));
            System.out.println("hung plugin reported " + (System.currentTimeMillis() - hungDropped)
                    + " ms after it was dropped: " + samples.events("plugin.broken"));
            Thread.sleep(1_000);
            assertThat(read(log).lines().filter(l -> l.contains("ERROR") && l.contains("hung-driver.jar")))
                    .as("one error line naming the hung jar").hasSize(1);
            assertThat(samples.events("plugin.broken")).as("one plugin.broken event")
                    .filteredOn(m -> m.contains("hung-driver.jar")).hasSize(1);

            // The hung plugin's jar removed while the daemon runs: the core unbinds its driver by reference, so
            // nothing waits for the driver object its activation never made, and the plugin goes.
            Files.delete(plugins.resolve("hung-driver.jar"));
            Dist.await("the hung plugin removed while the daemon runs", 30_000,
                    () -> read(log).contains("plugin hung-driver.jar removed"));
            PluginJars.drop(Files.readAllBytes(PluginJars.hungDriver()), plugins, "hung-driver.jar");
            Dist.await("the hung driver activating again", 20_000,
                    () -> read(log).split("hung test driver: activating", -1).length > 2);

            // The plugin added again: the stream logs while the daemon is told to stop.
            int before = samples.times(STREAM, "seq").size();
            PluginJars.drop(counterJar, plugins, "counter-driver.jar");
            Dist.await("the stream logging again", 20_000,
                    quietly(() -> samples.times(STREAM, "seq").size() > before + 5_000));
        } catch (AssertionError e) {
            System.out.println(read(log));
            throw e;
        } finally {
            sigterm = System.currentTimeMillis();
            daemon.destroy(); // SIGTERM
            exited = daemon.waitFor(STOP_TIMEOUT_MS + 15_000, TimeUnit.MILLISECONDS);
            System.out.println("SIGTERM with a hung plugin present: " + (exited ? "exited after "
                    + (System.currentTimeMillis() - sigterm) + " ms" : "still running after 45 s"));
            if (!exited) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        long stopMs = System.currentTimeMillis() - sigterm;
        String output = read(log);
        assertThat(exited).as("the daemon exited after SIGTERM; log:\n%s", output).isTrue();
        assertThat(stopMs).as("ms from SIGTERM to exit; log:\n%s", output).isLessThan(STOP_TIMEOUT_MS);
        assertThat(daemon.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(output.lines().filter(l -> l.contains("WARN") && l.contains("hung-driver.jar")
                && l.contains("has neither finished activating nor stopped"))).as("the stop names the hung plugin once")
                .singleElement().asString().contains("HungDriver");
        Matcher m = CLOSED.matcher(output);
        assertThat(m.find()).as("the store closed and reported its totals; log:\n%s", output).isTrue();
        long accepted = Long.parseLong(m.group(1));
        assertThat(Long.parseLong(m.group(2))).as("written").isEqualTo(accepted);
        assertThat(Long.parseLong(m.group(3))).as("dropped").isZero();
        assertThat(Dist.csvRows(Dist.usblogd(state, "export"))).as("every accepted sample is in the database")
                .hasSize((int) accepted);
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static BooleanSupplier quietly(BooleanSupplier s) {
        return () -> {
            try {
                return s.getAsBoolean();
            } catch (AssertionError | RuntimeException e) {
                return false;
            }
        };
    }
}
