package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock stepped back by an hour and forward again under the running daemon (libfaketime, with the
 * monotonic clock left real): a 100 Hz device goes on being committed, its samples stay in order, both
 * steps are recorded, and at SIGTERM everything accepted is written.
 */
class ClockStepIT {
    private static final String DEVICE = "1209:0010:SIM0001";

    @TempDir
    Path tmp;

    @Test
    void commitsGoOnAndSamplesStayInOrderWhenTheWallClockStepsBackAndForward() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), home.resolve("plugins/counter-driver.jar"));
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"), "count = 1\nperiod.ms = 10\n");
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        Path offset = tmp.resolve("faketime");
        Files.writeString(offset, "+0\n");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_PRELOAD", libfaketime().toString());
        pb.environment().put("FAKETIME_TIMESTAMP_FILE", offset.toString());
        pb.environment().put("FAKETIME_CACHE_DURATION", "1");
        pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        pb.environment().put("DONT_FAKE_MONOTONIC", "1");
        // Debian's build forces its "monotonic fix" by default, which breaks the JVM's timed waits (a 10 ms
        // park returns at once, a 10 ms sleep takes 40): switched off, timed waits run on the real clock
        pb.environment().put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        Samples samples = new Samples(state);
        Process daemon = pb.start();
        try {
            Dist.await("samples stored", 60_000, () -> stored(samples) > 300);

            Files.writeString(offset, "-1h\n");
            Dist.await("the step back noticed", 20_000, () -> logHas(log, "the wall clock stepped back"));
            int afterBack = stored(samples);
            Dist.await("committed after the step back", 20_000, () -> stored(samples) > afterBack + 200);

            Files.writeString(offset, "+0\n");
            Dist.await("the step forward noticed", 20_000, () -> logHas(log, "the wall clock stepped forward"));
            int afterForward = stored(samples);
            Dist.await("committed after the step forward", 20_000, () -> stored(samples) > afterForward + 200);
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        Matcher closed = Pattern.compile("store closed: (\\d+) samples accepted, (\\d+) written, (\\d+) dropped")
                .matcher(output);
        assertThat(closed.find()).as(output).isTrue();
        System.out.println("wall clock stepped back and forward by an hour at 100 Hz: " + closed.group());
        assertThat(closed.group(2)).as("written").isEqualTo(closed.group(1));
        assertThat(closed.group(3)).as("dropped").isEqualTo("0");

        Samples stored = Samples.afterStop(state);
        List<Long> byTime = stored.values(DEVICE, "sequence");
        for (int i = 1; i < byTime.size(); i++) {
            if (byTime.get(i) <= byTime.get(i - 1)) {
                fail("sample times ran backwards: report " + byTime.get(i) + " is stored before " + byTime.get(i - 1));
            }
        }
        assertThat(stored.events("clock.step")).hasSize(2);
    }

    private static int stored(Samples samples) {
        try {
            return samples.values(DEVICE, "sequence").size();
        } catch (AssertionError e) {
            return 0;
        }
    }

    /** Debian's libfaketime, which .ci/test installs (package faketime). */
    static Path libfaketime() throws IOException {
        try (Stream<Path> libs = Files.list(Path.of("/usr/lib"))) {
            return libs.map(d -> d.resolve("faketime/libfaketime.so.1")).filter(Files::exists).findFirst()
                    .orElseGet(() -> fail("libfaketime is not installed: apt-get install faketime (.ci/test does)"));
        }
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
