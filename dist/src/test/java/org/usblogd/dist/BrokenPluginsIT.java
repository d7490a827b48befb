package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.framework.Daemon;

/**
 * Broken plugins in a running daemon (real Felix, FileInstall, SCR): each is reported in one log line and
 * one event, and none of them stops the core or the CO2 monitor logging beside them.
 */
class BrokenPluginsIT {
    static final String COUNTER = HotSwapIT.COUNTER;
    String co2Key;

    @TempDir
    Path tmp;
    Path home;
    Daemon daemon;
    Samples samples;

    @BeforeEach
    void start() throws Exception {
        home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"), "count = 1\nperiod.ms = 20\n");
        Files.writeString(home.resolve("conf/org.usblogd.usb.cfg"),
                "session.stop.timeout.ms = 1000\nretry.initial.ms = 100\nretry.max.ms = 500\n");
        Files.writeString(home.resolve("conf/org.usblogd.plugins.cfg"), "check.interval.ms = 200\ngrace.ms = 3000\n");
        daemon = new Daemon(home, state, true);
        daemon.start();
        samples = new Samples(state);
        Dist.await("the CO2 monitor bound", 20_000,
                () -> quietly(() -> (co2Key = DeviceFamilies.key(samples, HotSwapIT.CO2_ID)) != null));
        Dist.await("CO2 samples", 20_000, () -> quietly(() -> samples.times(co2Key, "co2").size() >= 1));
    }

    @AfterEach
    void stop() {
        daemon.stop();
    }

    @Test
    void jarsThatAreNotBundlesOrCannotResolveAreReportedAndIgnored() throws Exception {
        long t0 = SampleSink.nowMicros();
        Path plugins = home.resolve("plugins");
        PluginJars.drop(new byte[] { 'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r' }, plugins, "garbage.jar");
        PluginJars.drop(plainJar(), plugins, "plain.jar");
        Path counter = PluginJars.counterDriver();
        PluginJars.drop(PluginJars.withHeaders(counter, Map.of("Bundle-SymbolicName", "org.usblogd.unresolvable",
                "Import-Package", PluginJars.header(counter, "Import-Package") + ",org.nonexistent.sensors")),
                plugins, "unresolvable.jar");

        Dist.await("three plugins reported", 20_000, () -> samples.events("plugin.broken").size() >= 3);

        assertThat(samples.events("plugin.broken")).anySatisfy(m -> assertThat(m).contains("garbage.jar")
                .contains("is not a jar")).anySatisfy(m -> assertThat(m).contains("plain.jar")
                        .contains("not an OSGi bundle")).anySatisfy(m -> assertThat(m).contains("unresolvable.jar")
                                .contains("imports org.nonexistent.sensors, which no installed bundle exports"));
        Thread.sleep(1_000);
        assertThat(samples.events("plugin.broken")).as("each reported once").hasSize(3);
        assertCo2KeptLogging(t0);
    }

    @Test
    void aDriverThatFailsToActivateOrToOpenIsReportedAndTheRestLogsOn() throws Exception {
        long t0 = SampleSink.nowMicros();
        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = activate\n");
        PluginJars.drop(Files.readAllBytes(PluginJars.counterDriver()), home.resolve("plugins"), "counter-driver.jar");

        Dist.await("activation failure reported", 20_000, () -> samples.events("plugin.broken").stream()
                .anyMatch(m -> m.contains("failed to activate") && m.contains("configured to fail on activation")));

        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = open\n");
        Dist.await("open failures recorded for the device", 20_000, () -> samples.events("session.failed").stream()
                .anyMatch(m -> m.contains("configured to fail when opening a session")));

        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = none\nchannel = renamed\n");
        Dist.await("the driver works with its new configuration", 20_000,
                () -> quietly(() -> samples.times(COUNTER, "renamed").size() >= 10));
        assertCo2KeptLogging(t0);
    }

    @Test
    void aSessionThatHangsInCloseIsAbandonedAndItsDeviceBoundAgain() throws Exception {
        long t0 = SampleSink.nowMicros();
        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = close-hang\n");
        Path plugins = home.resolve("plugins");
        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), "1.0.0", null, null), plugins,
                "counter-driver.jar");
        Dist.await("counter samples", 20_000, () -> quietly(() -> samples.times(COUNTER, "sequence").size() >= 10));

        PluginJars.drop(PluginJars.withVersion(PluginJars.counterDriver(), "1.0.1", null, null), plugins,
                "counter-driver.jar");

        Dist.await("the hung session abandoned", 20_000, () -> !samples.events("session.abandoned").isEmpty());
        assertThat(samples.events("session.abandoned").get(0)).contains("did not stop within 1000 ms");
        int before = samples.times(COUNTER, "sequence").size();
        Dist.await("the device bound again and logging", 20_000,
                () -> samples.times(COUNTER, "sequence").size() >= before + 10);
        assertCo2KeptLogging(t0);
    }

    private void assertCo2KeptLogging(long sinceMicros) {
        assertThat(Samples.largestGapMs(samples.times(co2Key, "co2"), sinceMicros)).as("largest CO2 gap")
                .isLessThan(HotSwapIT.CO2_PERIOD_MS + 200);
        long now = SampleSink.nowMicros();
        assertThat(samples.times(co2Key, "co2")).as("CO2 samples in the last 4 s").anyMatch(t -> t > now - 4_000_000);
    }

    private static byte[] plainJar() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        try (java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(out, m)) {
            j.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            j.write("a library, not a plugin".getBytes());
        }
        return out.toByteArray();
    }

    private static boolean quietly(java.util.function.BooleanSupplier s) {
        try {
            return s.getAsBoolean();
        } catch (AssertionError e) {
            return false;
        }
    }
}
