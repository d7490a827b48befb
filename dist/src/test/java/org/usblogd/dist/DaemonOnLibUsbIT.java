package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.co2mon.twin.Co2MonitorTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The assembled daemon on the real libusb stack: a CO2 monitor emulated by umockdev (the same twin the
 * virtual bus serves) is found by libusb, its kernel driver detached, its encrypted reports decoded by the
 * co2mon plugin and stored; SIGTERM gives the interface back to usbhid.
 */
class DaemonOnLibUsbIT {
    @TempDir
    Path tmp;

    @Test
    void theCo2DriverStoresSamplesFromAnEmulatedMonitorThroughLibusb() throws Exception {
        logCo2ThroughLibusb(Map.of());
    }

    /**
     * Java 24 and later warn on stderr, outside the daemon's log format and without a journal priority, when
     * code calls sun.misc.Unsafe's memory methods (the OSGi framework does, as it loads) or loads a native
     * library without being allowed to (usb4java loads libusb's): four lines at every start, and for each
     * command that starts the framework.
     */
    @Test
    void onTheNewestJavaTheDaemonAndItsDoctorWriteOnlyTheirOwnLines() throws Exception {
        Path javaHome = newestJava();
        assumeTrue(javaHome != null, "no Java 24 or later under /usr/lib/jvm");
        String log = logCo2ThroughLibusb(Map.of("JAVA_HOME", javaHome.toString()));

        assertThat(log.lines()).as("every line the daemon's own (%s)", javaHome).isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR) .*"))
                .anySatisfy(l -> assertThat(l).contains("binding driver co2mon"));
    }

    /** The daemon run on an emulated CO2 monitor until its samples are exported, then stopped; its log. */
    private String logCo2ThroughLibusb(Map<String, String> environment) throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            EmulatedUsbDevice monitor = testbed.plug(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                    TimeUnit.MILLISECONDS.toNanos(100), true, 42), 1, 4, 9);
            assertThat(monitor.kernelDriver(0)).isEqualTo("usbhid");
            Path state = tmp.resolve("state");
            File log = tmp.resolve("daemon.log").toFile();
            ProcessBuilder pb = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--state",
                    state.toString()).redirectErrorStream(true).redirectOutput(log);
            pb.environment().putAll(testbed.environment());
            pb.environment().putAll(environment);
            Process daemon = pb.start();
            try {
                long started = System.currentTimeMillis();
                try {
                    Dist.await("CO2 samples from the emulated monitor in the export", 20_000, () -> {
                        try {
                            return Dist.csvRows(Dist.usblogd(state, "export", "--channel", "co2")).size() >= 3;
                        } catch (Exception | AssertionError e) {
                            return false;
                        }
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log.toPath()), e);
                }
                System.out.println("first CO2 samples through libusb exported after "
                        + (System.currentTimeMillis() - started) + " ms");
                assertThat(Dist.csvRows(Dist.usblogd(state, "export", "--channel", "co2"))).allSatisfy(
                        row -> assertThat(row).matches(".*,04d9:a052@1-4,co2,[0-9.E]+,ppm"));
                assertThat(Dist.usblogd(state, "devices")).contains("04d9:a052@1-4", "co2mon", "libusb");
                assertThat(monitor.kernelDriver(0)).as("usbhid detached while logging").isNull();
            } finally {
                daemon.destroy();
            }
            String output = "log:\n" + Files.readString(log.toPath());
            assertThat(daemon.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM; %s", output).isTrue();
            assertThat(daemon.exitValue()).as(output).isIn(0, 143);
            assertThat(monitor.claimedInterfaces()).as(output).isEmpty();
            assertThat(monitor.kernelDriver(0)).as("usbhid re-attached on exit; %s", output).isEqualTo("usbhid");

            // the doctor starts the framework to read the plugins' tables, and opens the bus
            Said doctor = usblogd(testbed, environment, "doctor", "--state", state.toString());
            assertThat(doctor.out()).as("what doctor said").contains("04d9:a052");
            assertThat(doctor.err()).as("what doctor wrote on stderr").doesNotContain("WARNING");
            // an export writes the class archive of the commands that read the store at its first run, maps it after
            for (int run = 1; run <= 2; run++) {
                Said export = usblogd(testbed, environment, "export", "--state", state.toString(), "--channel", "co2");
                assertThat(export.exit()).as(export.err()).isZero();
                assertThat(export.out()).contains(",co2,");
                assertThat(export.err()).as("export %d's stderr", run).doesNotContain("WARNING");
            }
            try (var cache = Files.list(tmp.resolve("cache/usblogd"))) {
                assertThat(cache.map(p -> p.getFileName().toString())).as("the class archive written")
                        .anyMatch(n -> n.startsWith("cli-") && n.endsWith(".jsa"));
            }
            return Files.readString(log.toPath());
        }
    }

    private record Said(int exit, String out, String err) {
    }

    /** A command of the installation on the emulated bus, its output and errors apart. */
    private Said usblogd(UsbTestbed testbed, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Dist.home().resolve("bin/usblogd").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(testbed.environment());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().putAll(environment);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not end within 60 s");
        }
        return new Said(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The home of the newest Java under /usr/lib/jvm if it is 24 or later (its release file says), else null. */
    private static Path newestJava() throws java.io.IOException {
        Path newest = null;
        int newestMajor = 23;
        try (var homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.toList()) {
                Path release = home.resolve("release");
                if (!Files.isReadable(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                    continue;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)")
                        .matcher(Files.readString(release));
                if (m.find() && Integer.parseInt(m.group(1)) > newestMajor) {
                    newestMajor = Integer.parseInt(m.group(1));
                    newest = home;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        return newest;
    }
}
