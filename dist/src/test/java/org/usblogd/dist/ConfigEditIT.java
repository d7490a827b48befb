package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled daemon running as a process while an administrator edits its configuration: a typo in a
 * file never stops logging, is said in one line, and the corrected file applies.
 */
class ConfigEditIT {
    @TempDir
    Path tmp;

    @Test
    void aTypoInTheStoresFileWhileSamplesFlowKeepsLoggingOnTheLastGoodConfigurationAndIsOneLine() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Path cfg = home.resolve("conf/org.usblogd.store.cfg");
        String shipped = Files.readString(cfg);
        // any free port: another daemon on this machine may hold the shipped one, and then only the database listens
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        File log = tmp.resolve("daemon.log").toFile();
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dist.await("the daemon logging the power meter", 30_000, () -> powerSamples(state) > 200);
            int listeners = listeningSockets(daemon.pid());
            assertThat(listeners).as("the database's and the HTTP API's loopback listeners").isEqualTo(2);

            for (String typo : List.of("abc", "abc", "-5")) {
                Files.writeString(cfg, shipped + "visibility.ms = " + typo + "\n");
                Dist.await("the edit read", 15_000, () -> logLines(log, "visibility.ms = " + typo + " ").size() > 0
                        || logLines(log, "store closed").size() > 0);
                Thread.sleep(1_500);
                // the daemon keeps writing the power meter at 100 samples/s
                long before = powerSamples(state);
                Dist.await("power meter samples after a typo", 10_000, () -> powerSamples(state) > before + 100);
                if (typo.equals("abc")) {
                    Files.writeString(cfg, shipped); // the next "abc" is an edit again
                    Thread.sleep(2_500);
                }
            }

            String text = Files.readString(log.toPath());
            assertThat(text).as("the store was never closed").doesNotContain("store closed");
            assertThat(text).as("no stack trace").doesNotContain("\tat ", "Exception");
            List<String> abc = logLines(log, "visibility.ms = abc ");
            assertThat(abc).as("one line per bad edit").hasSize(2);
            assertThat(abc.get(0)).contains(cfg.toString(), "visibility.ms = abc", "expected a whole number from",
                    "last good configuration");
            assertThat(logLines(log, "visibility.ms = -5 ")).hasSize(1);
            assertThat(listeningSockets(daemon.pid())).as("no database listener leaked").isEqualTo(listeners);

            Files.writeString(cfg, shipped + "visibility.ms = 50\n");
            Dist.await("the corrected value applied", 15_000,
                    () -> logLines(log, "visibility.ms 200 -> 50").size() == 1);
            long before = powerSamples(state);
            Dist.await("power meter samples after the fix", 5_000, () -> powerSamples(state) > before + 100);
            assertThat(logLines(log, "store closed")).as("never closed for a change it applies in place").isEmpty();

            // a queue of another size needs the store made anew: it closes and opens again, and leaks nothing
            Files.writeString(cfg, shipped + "visibility.ms = 50\nqueue.capacity = 50000\n");
            Dist.await("the store opened again", 20_000, () -> logLines(log, "store open:").size() == 2);
            // the device manager was made anew with the store (its recorder went): the power meter, opened again
            // while it still streamed for the session before, goes on at 100 samples/s
            long reopened = powerSamples(state);
            Dist.await("power meter samples after the store opened again", 20_000,
                    () -> powerSamples(state) > reopened + 100);
            long from = powerSamples(state);
            long startedAt = System.nanoTime();
            Thread.sleep(5_000);
            long samples = powerSamples(state) - from;
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            assertThat(samples).as("power meter samples in %.1f s after the store opened again (%.0f/s)", seconds,
                    samples / seconds).isGreaterThan((long) (seconds * 60));
            assertThat(logLines(log, "queue.capacity 100000 -> 50000; the store closes and opens again")).hasSize(1);
            assertThat(listeningSockets(daemon.pid())).as("one database listener").isEqualTo(listeners);
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(logLines(log, "store closed")).as("closed for the new queue, and at the stop").hasSize(2);
    }

    @Test
    void aTypoInASerialFileKeepsItsDeviceLoggingAndTwoFilesForOneDeviceAreOneLineEach() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Path ftdi = home.resolve("demo/conf/org.usblogd.serial-ftdi.cfg");
        String shipped = Files.readString(ftdi);
        File log = tmp.resolve("daemon.log").toFile();
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dist.await("the FTDI adapter logging", 30_000, () -> ftdiSamples(state) > 0);

            Files.writeString(ftdi, shipped + "dtr = yes\nparitty = even\n");
            Dist.await("the mistake said", 15_000, () -> logLines(log, "dtr = yes").size() > 0);
            long before = ftdiSamples(state);
            Dist.await("the FTDI adapter still logging", 15_000, () -> ftdiSamples(state) > before);
            assertThat(logLines(log, "dtr = yes")).containsExactly(logLines(log, "dtr = yes").get(0))
                    .allSatisfy(l -> assertThat(l).contains(ftdi.toString(), "expected true or false",
                            "last good content"));
            assertThat(logLines(log, "paritty = even")).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("the nearest known key is parity"));

            Files.writeString(home.resolve("conf/org.usblogd.serial-bench.cfg"), shipped);
            Dist.await("two files for the FTDI adapter said", 15_000,
                    () -> logLines(log, "all match 0403:6001:A50285BI").size() > 0);
            Files.copy(home.resolve("demo/conf/org.usblogd.device-dmm.cfg"),
                    home.resolve("conf/org.usblogd.device-meter.cfg"));
            Dist.await("two files for the multimeter said", 15_000,
                    () -> logLines(log, "both configure device 1ab1:09c4").size() > 0);
            Thread.sleep(3_000);
            assertThat(logLines(log, "all match 0403:6001:A50285BI")).hasSize(1).allSatisfy(l -> assertThat(l)
                    .contains(ftdi.toString(), home.resolve("conf/org.usblogd.serial-bench.cfg").toString()));
            assertThat(logLines(log, "both configure device 1ab1:09c4")).hasSize(1);
            assertThat(Files.readString(log.toPath())).as("no stack trace").doesNotContain("\tat ");
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aNewSerialFileWithAMistakeIsOneLineAndTakesItsDeviceOnceCorrected() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Path ftdi = home.resolve("demo/conf/org.usblogd.serial-ftdi.cfg");
        String shipped = Files.readString(ftdi);
        File log = tmp.resolve("daemon.log").toFile();
        Files.delete(ftdi); // the adapter comes up with no file for it: nothing takes it
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dist.await("the daemon logging the power meter", 30_000, () -> powerSamples(state) > 200);
            Path added = home.resolve("conf/org.usblogd.serial-bench.cfg");
            Files.writeString(added, shipped.replace("baud = 9600", "baud = fast"));
            Dist.await("the mistake said", 15_000, () -> logLines(log, "baud = fast").size() > 0);
            long before = powerSamples(state);
            Dist.await("the power meter still logging", 15_000, () -> powerSamples(state) > before);
            assertThat(logLines(log, "baud = fast")).hasSize(1).allSatisfy(l -> assertThat(l)
                    .contains(added.toString(), "expected a whole number", "ERROR").doesNotContain("Exception"));
            assertThat(ftdiSamples(state)).as("nothing logged with a wrong file").isZero();

            Files.writeString(added, shipped);
            Dist.await("the corrected file taking the FTDI adapter", 30_000, () -> ftdiSamples(state) > 0);
            assertThat(logLines(log, "baud = fast")).as("said once").hasSize(1);
            assertThat(Files.readString(log.toPath())).as("no stack trace").doesNotContain("\tat ", " | at ");
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDriversOwnKeysInADeviceFileAreKnownFromTheStartAndATypoOfThemIsOneLine() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        // read as the daemon starts, before it installs the plugins that declare these keys
        Path mic = home.resolve("conf/org.usblogd.device-mic.cfg");
        Files.writeString(mic, "device = 0d8c:0016\naudio.calibration.db = 94\naudio.interval.ms = fast\n"
                + "audoi.rate = 48000\n");
        File log = tmp.resolve("daemon.log").toFile();
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dist.await("the daemon logging the power meter", 30_000, () -> powerSamples(state) > 200);
            Dist.await("the typo said", 15_000, () -> logLines(log, "audoi.rate").size() > 0);

            Files.writeString(mic, "device = 0d8c:0016\naudio.calibration.db = 100\naudio.rat = 44100\n");
            Dist.await("the edit's typo said", 15_000, () -> logLines(log, "audio.rat =").size() > 0);
            assertThat(logLines(log, "unknown key")).as("the typos alone: the demo multimeter's scpi.N keys and the"
                    + " microphone's audio keys are their drivers'").satisfiesExactly(
                            l -> assertThat(l).contains(mic + ": unknown key audoi.rate = 48000 is ignored (the"
                                    + " nearest known key is audio.rate)"),
                            l -> assertThat(l).contains(mic + ": unknown key audio.rat = 44100 is ignored (the"
                                    + " nearest known key is audio.rate)"));
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static long ftdiSamples(Path state) {
        try {
            return Dist.csvRows(Dist.usblogd(state, "export", "--device", "0403:6001:A50285BI", "--channel",
                    "temperature")).size();
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }

    private static List<String> logLines(File log, String containing) {
        try {
            return Files.readAllLines(log.toPath()).stream().filter(l -> l.contains(containing)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long powerSamples(Path state) {
        return channelSamples(state, "voltage");
    }

    private static long channelSamples(Path state, String channel) {
        try {
            return Dist.csvRows(Dist.usblogd(state, "export", "--channel", channel)).size();
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }

    /** TCP sockets the process listens on: its socket inodes in the kernel's LISTEN rows. */
    static int listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        int n = 0;
        for (String table : List.of("/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6")) {
            for (String row : Files.readAllLines(Path.of(table))) {
                String[] f = row.strip().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }
}
