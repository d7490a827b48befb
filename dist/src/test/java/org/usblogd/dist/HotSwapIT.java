package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.framework.Daemon;

/**
 * Real Felix, real FileInstall, the real plugin jars: a counter twin on the counter test plugin and the CO2
 * twin on co2mon stream while the counter driver's jar is replaced, rolled back and removed in plugins/.
 */
class HotSwapIT {
    static final String COUNTER = "1209:0010:SIM0001";
    static final String CO2 = "04d9:a052@v1-1";
    /** The twin sends one item per 400 ms and cycles through CO2, temperature, humidity and others. */
    static final long CO2_PERIOD_MS = 2_000;
    static final long COUNTER_PERIOD_MS = 20;

    @TempDir
    Path tmp;
    Path home;
    Path state;
    Daemon daemon;
    Framework fw;
    Samples samples;

    @BeforeEach
    void start() throws Exception {
        home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"),
                "count = 1\nperiod.ms = " + COUNTER_PERIOD_MS + "\n");
        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), "1.0.0", null, null),
                home.resolve("plugins"), "counter-driver.jar");
        daemon = new Daemon(home, state, true);
        fw = daemon.start();
        samples = new Samples(state);
        Dist.await("counter and CO2 samples", 20_000, () -> {
            try {
                return samples.times(COUNTER, "sequence").size() >= 20 && samples.times(CO2, "co2").size() >= 3;
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() {
        daemon.stop();
    }

    @Test
    void replacingRollingBackAndRemovingADriverJarLeavesTheOtherDeviceWithoutAGap() throws Exception {
        long t0 = SampleSink.nowMicros();

        swapTo("1.0.1");
        swapTo("1.0.0"); // the old jar back: rollback
        int before = samples.times(COUNTER, "sequence").size();
        Files.delete(home.resolve("plugins/counter-driver.jar"));
        Dist.await("the counter driver uninstalled", 10_000, () -> counterBundle() == null);
        Thread.sleep(2 * CO2_PERIOD_MS);

        // The CO2 monitor on its own driver never missed a beat.
        List<Long> co2 = samples.times(CO2, "co2");
        assertThat(Samples.largestGapMs(co2, t0)).as("largest CO2 gap (period %d ms)", CO2_PERIOD_MS)
                .isLessThan(CO2_PERIOD_MS + 200);
        // Without a driver the counter is unbound and logs nothing more.
        int after = samples.times(COUNTER, "sequence").size();
        Thread.sleep(500);
        assertThat(samples.times(COUNTER, "sequence").size()).isLessThanOrEqualTo(after + 1);
        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    /** Replaces the jar in plugins/ and waits for that version to log. */
    private void swapTo(String version) throws Exception {
        int before = samples.times(COUNTER, "sequence").size();
        long swapped = SampleSink.nowMicros();
        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), version, null, null),
                home.resolve("plugins"), "counter-driver.jar");
        Dist.await("version " + version + " installed", 10_000,
                () -> counterBundle() != null && counterBundle().getVersion().equals(Version.parseVersion(version))
                        && counterBundle().getState() == Bundle.ACTIVE);
        Dist.await("samples from " + version, 10_000,
                () -> samples.times(COUNTER, "sequence").size() >= before + 10);
        List<Long> times = samples.times(COUNTER, "sequence");
        System.out.printf("swap to %s: largest counter gap %.1f ms%n", version, Samples.largestGapMs(times, swapped));
    }

    private Bundle counterBundle() {
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if ("org.usblogd.counter-driver".equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
