package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.Schema;

/**
 * {@code usblogd export} on a real H2 file: several devices and channels at once, and a selection that cannot
 * hold anything (an unknown device or channel, --from not before --to, no state directory) told in one line
 * with exit status 1 instead of an empty export.
 */
class ExportSelectionTest {
    private static final long T0 = 1_795_000_000_000_000L; // 2026-11-18T11:06:40Z
    private static final String CO2 = "04d9:a052@1-1";
    private static final String TEMPER = "413d:2107@1-2";
    private static final String POWER = "2e3c:5558@1-3";

    @TempDir
    Path state;

    private record Run(int exit, String out, String err) {
    }

    private Run export(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(List.of(args));
        if (!all.contains("--state")) {
            all.addAll(List.of("--state", state.toString()));
        }
        int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Three devices, each with its channels, a sample a second for 3 s per channel (rows of a version 1 file). */
    @BeforeEach
    void database() throws Exception {
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            Schema.ensure(c);
            device(s, CO2, "co2", "ppm", "temperature", "°C");
            device(s, TEMPER, "temperature", "°C");
            device(s, POWER, "voltage", "V", "current", "A");
            for (int i = 0; i < 3; i++) {
                s.execute("INSERT INTO sample(channel_id, t, v) SELECT id, " + (T0 + i * 1_000_000L) + ", " + i
                        + " FROM channel");
            }
            s.execute("SHUTDOWN");
        }
    }

    private static void device(Statement s, String key, String... channelsAndUnits) throws Exception {
        s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('" + key + "', 1, 2, 0, 0)");
        for (int i = 0; i < channelsAndUnits.length; i += 2) {
            s.execute("INSERT INTO channel(device_id, name, unit) SELECT id, '" + channelsAndUnits[i] + "', '"
                    + channelsAndUnits[i + 1] + "' FROM device WHERE device_key = '" + key + "'");
        }
    }

    private static List<String> rows(Run r) {
        assertThat(r.exit()).as("%s", r).isZero();
        List<String> lines = r.out().lines().toList();
        return lines.subList(1, lines.size());
    }

    @Test
    void twoChannelsGivenWithACommaOrTwiceAreBothExportedInTimeOrder() {
        Run comma = export("--channel", "co2,voltage");
        assertThat(rows(comma)).hasSize(6).allSatisfy(l -> assertThat(l).matches(".*,(co2|voltage),.*"))
                .anySatisfy(l -> assertThat(l).contains(",co2,")).anySatisfy(l -> assertThat(l).contains(",voltage,"));
        assertThat(rows(comma)).isSorted();
        assertThat(export("--channel", "co2", "--channel", "voltage").out()).isEqualTo(comma.out());
    }

    @Test
    void twoDevicesGivenTwiceOrWithACommaAreBothExported() {
        Run twice = export("--device", CO2, "--device", POWER);
        assertThat(rows(twice)).hasSize(12).allSatisfy(l -> assertThat(l).matches(".*,(" + CO2 + "|" + POWER + "),.*"))
                .anySatisfy(l -> assertThat(l).contains("," + POWER + ",")).isSorted();
        assertThat(export("--device", CO2 + "," + POWER).out()).isEqualTo(twice.out());
        assertThat(rows(export("--device", CO2 + "," + TEMPER, "--channel", "temperature", "--format", "csv")))
                .hasSize(6).allSatisfy(l -> assertThat(l).contains(",temperature,"));
    }

    @Test
    void anUnknownDeviceIsOneLineListingTheKnownOnesAndExitStatus1() {
        Run r = export("--device", CO2, "--device", "04d9:a052@9-9");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("usblogd: no device '04d9:a052@9-9' is known in " + state + "; known devices: "
                + CO2 + ", " + POWER + ", " + TEMPER + "\n");
    }

    @Test
    void anUnknownChannelIsOneLineListingTheChannelsOfTheDevicesChosenAndExitStatus1() {
        Run any = export("--channel", "co2,humidity", "--format", "json");
        assertThat(any.exit()).isEqualTo(1);
        assertThat(any.out()).isEmpty();
        assertThat(any.err()).isEqualTo("usblogd: no channel 'humidity' on any device in " + state
                + "; their channels: co2, current, temperature, voltage\n");
        Run notThisOne = export("--device", TEMPER, "--channel", "co2");
        assertThat(notThisOne.exit()).isEqualTo(1);
        assertThat(notThisOne.err()).isEqualTo("usblogd: no channel 'co2' on " + TEMPER + "; its channels:"
                + " temperature\n");
    }

    @Test
    void fromNotBeforeToIsOneLineAndExitStatus1() {
        Run r = export("--from", "2026-11-18T12:00:00Z", "--to", "2026-11-18T11:00:00Z");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("usblogd: --from 2026-11-18T12:00:00Z is not before --to 2026-11-18T11:00:00Z:"
                + " the range holds nothing (--from is inclusive, --to exclusive); swap them\n");
        assertThat(export("--from", "2026-11-18T11:00:00Z", "--to", "2026-11-18T11:00:00Z").exit()).isEqualTo(1);
        assertThat(rows(export("--from", "2026-11-18T11:06:41Z", "--to", "2026-11-18T11:06:42Z"))).hasSize(5);
    }

    @Test
    void aStateDirectoryThatDoesNotExistIsOneLineAndExitStatus1() {
        Path missing = state.resolve("no-such-dir");
        Run r = export("--state", missing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("usblogd: the state directory " + missing + " does not exist: ")
                .contains("--state DIR").hasLineCount(1);
    }
}
