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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        List<String> lines = startAndStopWith("fails-to-stop.jar", "org.usblogd.test.failstostop",
                org.usblogd.dist.stopfault.FailsToStop.class, "org.osgi.framework");

        assertThat(lines).filteredOn(l -> l.contains("org.usblogd.test.failstostop")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("<3>").contains("fails to stop on purpose"));
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
    }

    /**
     * The OSGi log service hands entries to its listeners on a thread of its own and drops what that thread has
     * not delivered yet when it stops; reports made just before it stops (the last bundles' own stops) were lost.
     */
    @Test
    void whatBundlesReportThroughTheOsgiLogServiceAsTheDaemonStopsIsAllLogged() throws Exception {
        // the daemon installs its bundles in name order after the log service, and stops them the other way
        List<String> lines = startAndStopWith("0-logs-at-stop.jar", "org.usblogd.test.logsatstop",
                org.usblogd.dist.stopfault.LogsAtStop.class, "org.osgi.framework,org.osgi.service.log");

        assertThat(lines).filteredOn(l -> l.contains(org.usblogd.dist.stopfault.LogsAtStop.MESSAGE))
                .as("the reports made as the daemon stopped").hasSize(org.usblogd.dist.stopfault.LogsAtStop.REPORTS)
                .allSatisfy(l -> assertThat(l).startsWith("<3>logsatstop ["));
        assertThat(lines).as("delivered before the log service stopped, not in the time the launcher waits at most")
                .noneMatch(l -> l.contains("did not deliver its last entries"));
        assertThat(lines).as("the launcher's own entry, which it waits for, not logged")
                .noneMatch(l -> l.contains("drained"));
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
        assertThat(lines).as("the USB core, which the driver could not serve, adds nothing to what is said of it")
                .noneMatch(l -> l.startsWith("<4>usb [") || l.startsWith("<3>usb ["));
    }

    /** A damaged copy of a jar the package ships (a disk error, an unpacking cut short) is named in one line. */
    @Test
    void aDamagedJarAmongTheDaemonsOwnBundlesIsOneLineThatSaysWhatToDo() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.write(home.resolve("bundles/org.usblogd.damaged.jar"), "not a jar".getBytes());
        List<String> lines = runUnderJournald(home, false,
                new Until("the daemon started", 30_000, l -> l.contains("usblogd started")));

        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
        assertThat(lines).filteredOn(l -> l.contains("org.usblogd.damaged.jar")).singleElement().asString()
                .startsWith("<3>").contains(home.resolve("bundles").toString()).contains("reinstall usblogd");
    }

    /**
     * A stop (SIGTERM) that comes while the framework installs the daemon's bundles ends it as quietly as one
     * after start: the installs the stop cut short are not errors.
     */
    @Test
    void aStopWhileTheDaemonsBundlesAreInstalledIsQuiet() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        // Felix gives each installed bundle a directory of its cache: the third is there while the rest install
        Path third = tmp.resolve("state/felix-cache/bundle3");
        List<String> lines = stopOnceThere(home, () -> Files.exists(third), 5);

        assertThat(third).as("the daemon installing its bundles").exists();
        assertThat(lines).as("stopped before it had started").noneMatch(l -> l.contains("usblogd started"));
        assertQuiet(lines);
    }

    /**
     * The same at later moments of the start: while the framework raises its start level (the USB core starts
     * after the store has opened), while the plugins install, and while they activate (all installed).
     *
     * @param times how many lines must carry it; 0: as many as plugins/ holds jars
     */
    @ParameterizedTest
    @CsvSource({ "store open, 1", "installed: org.usblogd., 1", "installed: org.usblogd., 0" })
    void aStopLaterInTheStartIsQuietToo(String awaited, int times) throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        long wanted;
        try (var jars = Files.list(home.resolve("plugins"))) {
            wanted = times > 0 ? times : jars.filter(p -> p.toString().endsWith(".jar")).count();
        }
        List<String> lines = stopOnceThere(home, () -> read(log()).stream().filter(l -> l.contains(awaited))
                .count() >= wanted, 10);

        assertThat(lines).as("the moment came").filteredOn(l -> l.contains(awaited)).hasSizeGreaterThanOrEqualTo(
                (int) wanted);
        assertQuiet(lines);
    }

    /** Every line with its priority, and neither an error nor a warning: nothing failed. */
    private static void assertQuiet(List<String> lines) {
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>\\S+ \\[[^]]*\\]: .*"));
        assertThat(lines).noneMatch(l -> l.startsWith("<3>") || l.startsWith("<4>"));
    }

    /**
     * The lines of a daemon (not the demo) started under journald with a one-class bundle among its own in
     * {@code bundles/}, and stopped (SIGTERM) once it has started.
     */
    private List<String> startAndStopWith(String jar, String symbolicName,
            Class<? extends org.osgi.framework.BundleActivator> activator, String importPackage) throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.write(home.resolve("bundles").resolve(jar), PluginJars.bundleOf(symbolicName, activator, importPackage));
        return runUnderJournald(home, false,
                new Until("the daemon started", 30_000, l -> l.contains("usblogd started")));
    }

    /** Starts the demo under journald and stops it (SIGTERM) as soon as the moment has come (polled). */
    private List<String> stopOnceThere(Path home, java.util.function.BooleanSupplier moment, long pollMs)
            throws Exception {
        Process daemon = startUnderJournald(home, true);
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!moment.getAsBoolean() && daemon.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(pollMs);
            }
            return stop(daemon);
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** A line the log must show, at most that long after start. */
    private record Until(String what, long ms, Predicate<String> line) {
    }

    /**
     * Runs the assembled daemon as systemd would with its stdout on the journal, until each line awaited has
     * come (in turn), then stops it; the lines it wrote, stdout and stderr together.
     */
    private List<String> runUnderJournald(Path home, boolean demo, Until... awaited) throws Exception {
        Process daemon = startUnderJournald(home, demo);
        try {
            for (Until u : awaited) {
                Dist.await(u.what(), u.ms(), () -> read(log()).stream().anyMatch(u.line()));
            }
        } catch (Exception | AssertionError e) {
            daemon.destroyForcibly();
            throw e;
        }
        return stop(daemon);
    }

    /** SIGTERM; the lines the daemon wrote once it has ended. */
    private List<String> stop(Process daemon) throws Exception {
        daemon.destroy();
        boolean ended = daemon.waitFor(15, TimeUnit.SECONDS);
        if (!ended) {
            daemon.destroyForcibly();
        }
        assertThat(ended).as("ended within 15 s of SIGTERM; log:%n%s", String.join("\n", read(log()))).isTrue();
        return read(log());
    }

    private File log() {
        return tmp.resolve("daemon.log").toFile();
    }

    private Process startUnderJournald(Path home, boolean demo) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/usblogd").toString(), "run"));
        if (demo) {
            command.add("--demo");
        }
        command.addAll(List.of("--state", tmp.resolve("state").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log());
        pb.environment().put("JOURNAL_STREAM", "8:12345"); // what systemd sets when stdout is the journal
        return pb.start();
    }

    private static List<String> read(File f) {
        try {
            return Files.readAllLines(f.toPath());
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
