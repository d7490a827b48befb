package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-ASCII text in .cfg files (units, channel names) reaches the database and the export as written, in the
 * assembled daemon run without a UTF-8 locale (as systemd starts it); a unit changed while the daemon runs
 * labels the samples from then on, and the earlier samples keep theirs. A file that is not UTF-8 is named
 * in the log.
 */
class Utf8ConfigIT {
    private static final String PICO = "2e8a:000a:E6614C311B7A2F2B";

    @TempDir
    Path tmp;

    @Test
    void unitsAndNamesFromUtf8FilesAreExportedAsWrittenAndAChangedUnitKeepsTheOldOneOnEarlierSamples()
            throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        // the demo's Pico twin prints "T=21.50 H=45.2 P=1013.2"; this file replaces the demo's own
        Path pico = home.resolve("demo/conf/org.usblogd.serial-pico.cfg");
        String lineDriver = "match.vid = 2e8a\nmatch.pid = 000a\nbaud = 115200\ndtr = true\nformat = keyvalue\n"
                + "max.line = 400\nchannel.T.unit = °C\nchannel.H.unit = %RH\n";
        Files.writeString(pico, lineDriver + "channel.P.unit = hPa\n", StandardCharsets.UTF_8);
        Files.writeString(home.resolve("conf/org.usblogd.device-pico.cfg"),
                "device = 2e8a:000a\nchannel.T = Außentemperatur\n", StandardCharsets.UTF_8);
        // one file left in ISO-8859-1 by an old editor: named in one line of the log, with the fix
        Path latin1 = home.resolve("conf/org.usblogd.device-old.cfg");
        Files.writeString(latin1, "device = 1209:0bad\n# Außenfühler\npoll.ms = 1000\n", StandardCharsets.ISO_8859_1);
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        Process daemon = pb.start();
        Samples samples = new Samples(state);
        try {
            Dist.await("the daemon's database server", 30_000,
                    () -> Files.exists(state.resolve("db/server.port")));
            Dist.await("the Pico's renamed temperature", 30_000,
                    () -> samples.times(PICO, "Außentemperatur").size() >= 3);
            Dist.await("its pressure", 10_000, () -> samples.times(PICO, "P").size() >= 3);

            String csv = Dist.usblogd(state, "export", "--device", PICO, "--channel", "Außentemperatur");
            assertThat(Dist.csvRows(csv)).isNotEmpty().allSatisfy(row -> assertThat(row)
                    .startsWith("20").contains("," + PICO + ",Außentemperatur,").endsWith(",°C"));
            String json = Dist.usblogd(state, "export", "--device", PICO, "--channel", "Außentemperatur",
                    "--format", "json");
            assertThat(json).contains("\"channel\":\"Außentemperatur\"").contains("\"unit\":\"°C\"")
                    .doesNotContain("Â");

            // the user decides the Pico's pressure is better labelled mbar
            Files.writeString(pico, lineDriver + "channel.P.unit = mbar\n", StandardCharsets.UTF_8);
            Dist.await("pressure in mbar", 15_000, () -> Dist.csvRows(exportPressure(state)).stream()
                    .filter(r -> r.endsWith(",mbar")).count() >= 3);
            List<String> units = Dist.csvRows(exportPressure(state)).stream()
                    .map(r -> r.substring(r.lastIndexOf(',') + 1)).toList();
            int firstMbar = units.indexOf("mbar");
            assertThat(firstMbar).as("samples in hPa before the change").isPositive();
            assertThat(units.subList(0, firstMbar)).as("the samples before the change keep hPa")
                    .containsOnly("hPa");
            assertThat(units.subList(firstMbar, units.size())).as("after it: mbar").containsOnly("mbar");
            assertThat(samples.events(PICO, "channel.unit")).singleElement().asString()
                    .contains("P").contains("hPa").contains("mbar");
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isIn(0, 143);
        String output = Files.readString(log);
        assertThat(output).as("the daemon's log").doesNotContain("Â°");
        assertThat(output.lines().filter(l -> l.contains(latin1.toString()))).as("the file not in UTF-8")
                .singleElement().asString().contains("line 2 is not UTF-8 (byte 0xdf)")
                .contains("save the file as UTF-8");
    }

    private static String exportPressure(Path state) {
        try {
            return Dist.usblogd(state, "export", "--device", PICO, "--channel", "P");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
