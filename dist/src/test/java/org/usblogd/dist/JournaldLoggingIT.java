package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under systemd the daemon logs journald's way: a priority prefix per line, no timestamps, one line per event. */
class JournaldLoggingIT {
    @TempDir
    Path tmp;

    @Test
    void everyLineCarriesItsPriorityAndNoTimestamp() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.writeString(home.resolve("conf/org.usblogd.plugins.cfg"), "check.interval.ms = 200\ngrace.ms = 500\n");
        PluginJars.drop("not a jar".getBytes(), home.resolve("plugins"), "garbage.jar");
        List<String> lines = runUnderJournald(home, true,
                new Until("an error line about the broken plugin", 20_000, l -> l.contains("garbage.jar")),
                // stopped once started, so that every part has had its say
                new Until("the daemon started", 30_000, l -> l.contains("usblogd started")));

        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
        assertThat(lines).filteredOn(l -> l.contains("garbage.jar")).first().asString().startsWith("<3>PluginMonitor");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<6>").contains("demo mode"));
        assertThat(lines).noneMatch(l -> l.matches("<\\d>\\d\\d:\\d\\d:\\d\\d.*"));
        assertThat(lines).as("the framework's events, which the OSGi log service records too, left out")
                .noneMatch(l -> l.contains("BundleEvent") || l.contains("ServiceEvent") || l.contains("FrameworkEvent"));
    }

    @Test
    void anErrorTheOsgiFrameworkItselfReportsIsOneLineWithItsPriority() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.write(home.resolve("bundles/fails-to-stop.jar"), PluginJars.bundleOf("org.usblogd.test.failstostop",
                org.usblogd.dist.stopfault.FailsToStop.class, "org.osgi.framework"));
        List<String> lines = runUnderJournald(home, false,
                new Until("the daemon started", 30_000, l -> l.contains("usblogd started")));

        assertThat(lines).filteredOn(l -> l.contains("org.usblogd.test.failstostop")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("<3>").contains("fails to stop on purpose"));
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
    }

    /**
     * Declarative Services, Configuration Admin and FileInstall print to stdout when no OSGi log service is
     * there: a driver whose activation throws gave a hundred lines of stack trace, none with a priority.
     */
    @Test
    void whatTheOsgiServicesReportIsOneLineWithItsPriorityToo() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.writeString(home.resolve("conf/org.usblogd.plugins.cfg"), "check.interval.ms = 200\ngrace.ms = 500\n");
        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = activate\n");
        PluginJars.drop(Files.readAllBytes(PluginJars.counterDriver()), home.resolve("plugins"), "counter-driver.jar");
        List<String> lines = runUnderJournald(home, false, new Until("the driver's failure reported", 30_000,
                l -> l.contains("PluginMonitor") && l.contains("failed to activate")));

        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
        assertThat(lines).filteredOn(l -> l.contains("configured to fail on activation")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("<3>"));
        assertThat(lines).as("Declarative Services' own report, named after the driver's bundle, its cause on the line")
                .anySatisfy(l -> assertThat(l).startsWith("<3>counter-driver [").contains("Error during instantiation of"
                        + " the implementation object: java.lang.IllegalStateException: counter driver configured to fail"
                        + " on activation |"));
    }

    /** A line the log must show, at most that long after start. */
    private record Until(String what, long ms, Predicate<String> line) {
    }

    /**
     * Runs the assembled daemon as systemd would with its stdout on the journal, until each line awaited has
     * come (in turn), then stops it; the lines it wrote, stdout and stderr together.
     */
    private List<String> runUnderJournald(Path home, boolean demo, Until... awaited) throws Exception {
        File log = tmp.resolve("daemon.log").toFile();
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/usblogd").toString(), "run"));
        if (demo) {
            command.add("--demo");
        }
        command.addAll(List.of("--state", tmp.resolve("state").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        pb.environment().put("JOURNAL_STREAM", "8:12345"); // what systemd sets when stdout is the journal
        Process daemon = pb.start();
        try {
            for (Until u : awaited) {
                Dist.await(u.what(), u.ms(), () -> read(log).stream().anyMatch(u.line()));
            }
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return read(log);
    }

    private static List<String> read(File f) {
        try {
            return Files.readAllLines(f.toPath());
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
