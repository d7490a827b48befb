package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code usblogd status} and {@code usblogd export}'s selection against the assembled daemon running the demo
 * as a process: status names the daemon's pid and each device's state and the age of its newest sample, and
 * says "not running" with exit status 3 after kill -9; export takes several devices and channels, and says in
 * one line, exit status 1, what cannot be exported (an unknown device or channel, --from after --to, a state
 * directory that is not there) instead of printing an empty export.
 */
class StatusAndExportIT {
    private static final String CO2 = "04d9:a052@v1-1";
    private static final String TEMPER = "413d:2107@v1-9";

    @TempDir
    Path tmp;
    Path home;
    Path state;
    Process daemon;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void startTheDemo() throws Exception {
        home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        state = tmp.resolve("state");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile());
        pb.environment().remove("LD_PRELOAD");
        daemon = pb.start();
        Samples samples = new Samples(state);
        Dist.await("CO2 and TEMPer samples from the demo", 60_000, HungPluginIT.quietly(
                () -> !samples.times(CO2, "co2").isEmpty() && !samples.times(CO2, "temperature").isEmpty()
                        && !samples.times(TEMPER, "temperature").isEmpty()));
    }

    @AfterEach
    void stopTheDaemon() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void statusShowsTheRunningDaemonsPidAndEachDeviceWithTheAgeOfItsNewestSampleThenNotRunningAfterKillMinusNine()
            throws Exception {
        Cli.Result running = usblogd("status");
        assertThat(running.exit()).as("%s", running).isZero();
        assertThat(running.err()).isEmpty();
        assertThat(running.out()).startsWith("daemon: running, pid " + daemon.pid() + ", up ")
                .contains(", version " + System.getProperty("usblogd.version") + "\n")
                .contains("\nstore:  open, ");
        assertThat(running.out().lines()).anySatisfy(l -> assertThat(l).matches(Pattern.quote(CO2)
                + " +logging +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\d.* s"));

        JsonNode s = json.readTree(usblogd("status", "--format", "json").out());
        assertThat(s.at("/daemon/running").asBoolean()).isTrue();
        assertThat(s.at("/daemon/pid").asLong()).isEqualTo(daemon.pid());
        assertThat(Instant.parse(s.at("/daemon/started").asText()))
                .isEqualTo(daemon.info().startInstant().orElseThrow());
        assertThat(s.at("/daemon/uptimeSeconds").asLong()).isBetween(1L, 600L);
        assertThat(s.at("/store/state").asText()).isEqualTo("open");
        assertThat(s.at("/store/bytes").asLong()).isPositive();
        assertThat(s.at("/store/samplesLastMinute").asLong()).isPositive();
        assertThat(s.at("/store/droppedSinceStart").asLong()).isZero();
        JsonNode co2 = find(s.get("devices"), CO2);
        assertThat(co2.get("state").asText()).isEqualTo("logging");
        assertThat(co2.get("ageSeconds").asDouble()).as("the demo CO2 monitor sends every few seconds")
                .isBetween(0.0, 30.0);
        assertThat(Duration.between(Instant.parse(co2.get("lastSample").asText()), Instant.now()).toSeconds())
                .isLessThan(30);

        daemon.destroyForcibly();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Cli.Result stopped = usblogd("status");
        assertThat(stopped.exit()).as("%s", stopped).isEqualTo(3);
        assertThat(stopped.out()).startsWith("daemon: not running on " + state + "\nstore:  closed, ");
        assertThat(stopped.out().lines()).anySatisfy(l -> assertThat(l).startsWith(CO2 + " ")
                .contains(" daemon stopped "));
        JsonNode after = json.readTree(usblogd("status", "--format", "json").out());
        assertThat(after.at("/daemon/running").asBoolean()).isFalse();
        assertThat(after.at("/daemon/pid").isMissingNode()).isTrue();
        System.out.println("status while running:\n" + running.out() + "status after kill -9:\n" + stopped.out());
    }

    @Test
    void exportTakesTwoChannelsAndTwoDevicesAndSaysWhatItCannotExportInOneLineWithExitStatus1() throws Exception {
        List<String> channels = rows(usblogd("export", "--channel", "co2,temperature", "--device", CO2));
        assertThat(channels).allSatisfy(r -> assertThat(r).matches(".*," + Pattern.quote(CO2) + ",(co2|temperature),.*"))
                .anySatisfy(r -> assertThat(r).contains(",co2,")).anySatisfy(r -> assertThat(r).contains(",temperature,"));
        List<String> devices = rows(usblogd("export", "--device", CO2, "--device", TEMPER, "--channel",
                "temperature"));
        assertThat(devices).anySatisfy(r -> assertThat(r).contains("," + CO2 + ",temperature,"))
                .anySatisfy(r -> assertThat(r).contains("," + TEMPER + ",temperature,"))
                .allSatisfy(r -> assertThat(r).contains(",temperature,"));

        Cli.Result device = usblogd("export", "--device", "04d9:a052@v9-9");
        assertOneLineError(device, "usblogd: no device '04d9:a052@v9-9' is known in " + state + "; known devices: ");
        assertThat(device.err()).contains(CO2, TEMPER);
        Cli.Result channel = usblogd("export", "--channel", "co3");
        assertOneLineError(channel, "usblogd: no channel 'co3' on any device in " + state + "; their channels: ");
        assertThat(channel.err()).contains("co2", "temperature");
        assertOneLineError(usblogd("export", "--from", "-1h", "--to", "-2h"), "usblogd: --from ");
        Path missing = tmp.resolve("no-state-here");
        assertOneLineError(Cli.run(home, List.of(), Map.of(), "export", "--state", missing.toString()),
                "usblogd: the state directory " + missing + " does not exist: ");
    }

    private static void assertOneLineError(Cli.Result r, String start) {
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).as("%s", r).isEmpty();
        assertThat(r.err().lines()).as("%s", r).singleElement().asString().startsWith(start);
    }

    private static List<String> rows(Cli.Result r) {
        assertThat(r.exit()).as("%s", r).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).as("%s", r).hasSizeGreaterThan(1);
        return new ArrayList<>(lines.subList(1, lines.size()));
    }

    private Cli.Result usblogd(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        return Cli.run(home, List.of(), Map.of(), all.toArray(String[]::new));
    }

    private static JsonNode find(JsonNode devices, String device) {
        for (JsonNode d : devices) {
            if (d.get("device").asText().equals(device)) {
                return d;
            }
        }
        throw new AssertionError(device + " not in " + devices);
    }
}
