package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled daemon, started as a user starts it: run --demo, export while it runs, SIGTERM. */
class DaemonProcessIT {
    private static final Pattern CLOSED = Pattern.compile("store closed: (\\d+) samples accepted, (\\d+) written, (\\d+) dropped");

    @TempDir
    Path tmp;

    @Test
    void runsStoresExportsAndStopsOnSigtermWithoutLosingSamples() throws Exception {
        Path state = tmp.resolve("state");
        File log = tmp.resolve("daemon.log").toFile();
        Process daemon = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--demo",
                "--state", state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            long started = System.currentTimeMillis();
            Dist.await("CO2 samples in the export", 10_000, () -> {
                try {
                    return Dist.csvRows(Dist.usblogd(state, "export", "--channel", "co2")).size() >= 1;
                } catch (Exception | AssertionError e) {
                    return false; // not started far enough yet
                }
            });
            System.out.println("first CO2 sample exported after " + (System.currentTimeMillis() - started) + " ms");

            String csv = Dist.usblogd(state, "export", "--format", "csv", "--device", "04d9:a052@v1-1");
            assertThat(csv).startsWith("time,device,channel,value,unit\n");
            assertThat(Dist.csvRows(csv)).allSatisfy(row -> assertThat(row).matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z,04d9:a052@v1-1,(co2|temperature|humidity),[-0-9.E]+,(ppm|°C|%RH)"));
            String json = Dist.usblogd(state, "export", "--format", "json", "--channel", "temperature");
            assertThat(json.strip()).startsWith("[").endsWith("]").contains("\"unit\":\"°C\"");
            assertThat(Dist.usblogd(state, "devices")).contains("04d9:a052@v1-1", "USB-zyTemp", "yes", "co2mon", "virtual");
        } finally {
            daemon.destroy(); // SIGTERM
        }
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
        String output = Files.readString(log.toPath());
        assertThat(daemon.exitValue()).as("exit status; log:\n%s", output).isIn(0, 143);
        assertThat(output).contains("demo mode");
        Matcher m = CLOSED.matcher(output);
        assertThat(m.find()).as("the store reported its totals; log:\n%s", output).isTrue();
        long accepted = Long.parseLong(m.group(1));
        assertThat(Long.parseLong(m.group(2))).as("written").isEqualTo(accepted);
        assertThat(Long.parseLong(m.group(3))).as("dropped").isZero();

        assertThat(Dist.csvRows(Dist.usblogd(state, "export"))).as("every accepted sample is in the database")
                .hasSize((int) accepted);
        assertThat(Dist.usblogd(state, "devices")).contains("04d9:a052@v1-1").doesNotContain(" yes ");
    }
}
