package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * {@code usblogd events} and {@code usblogd devices} against the assembled daemon running the demo as a
 * process: what the daemon recorded is readable, filtered and followed as it happens; devices shows when each
 * device last delivered, its state and channels, and after kill -9 of the daemon nothing is attached.
 */
class EventsAndDevicesIT {
    private static final String CO2 = "04d9:a052@v1-1";
    private static final Pattern EVENT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z  (\\S+) +(\\S+)(  .*)?");

    @TempDir
    Path tmp;
    Path home;
    Path state;
    Path log;
    Process daemon;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void startTheDemo() throws Exception {
        home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Files.writeString(home.resolve("conf/org.usblogd.plugins.cfg"), "check.interval.ms = 200\ngrace.ms = 3000\n");
        state = tmp.resolve("state");
        log = tmp.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        daemon = pb.start();
        Samples samples = new Samples(state);
        Dist.await("CO2 samples from the demo", 60_000,
                HungPluginIT.quietly(() -> !samples.times(CO2, "co2").isEmpty()));
    }

    @AfterEach
    void stopTheDaemon() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void everyRecordedEventIsALineFilteredByDeviceKindAndTimeAndAnUnknownKindOrDeviceListsTheKnownOnes()
            throws Exception {
        Cli.Result all = usblogd("events");
        assertThat(all.exit()).as("%s", all).isZero();
        assertThat(all.err()).isEmpty();
        List<String> lines = all.out().lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(EVENT_LINE));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("  -  ").contains("daemon.started"))
                .anySatisfy(l -> assertThat(l).contains(CO2).contains("device.attached"))
                .anySatisfy(l -> assertThat(l).contains(CO2).contains("driver.bound").contains("co2mon"));

        Cli.Result co2 = usblogd("events", "--device", CO2);
        assertThat(co2.out().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).contains("  " + CO2 + "  "));
        Cli.Result started = usblogd("events", "--kind", "daemon.started", "--since", "-1h");
        assertThat(started.out().lines()).singleElement().asString().matches(".*  daemon\\.started +store opened");
        assertThat(usblogd("events", "--since", "2099-01-01 00:00").out()).isEmpty();

        Cli.Result asJson = usblogd("events", "--format", "json", "--device", CO2);
        assertThat(asJson.exit()).isZero();
        List<JsonNode> objects = new ArrayList<>();
        for (String l : asJson.out().lines().toList()) {
            objects.add(json.readTree(l));
        }
        assertThat(objects).hasSameSizeAs(co2.out().lines().toList()).allSatisfy(o -> {
            assertThat(o.get("device").asText()).isEqualTo(CO2);
            assertThat(Instant.parse(o.get("time").asText())).isBefore(Instant.now().plusSeconds(5));
            assertThat(o.get("id").asLong()).isPositive();
        });
        assertThat(objects).extracting(o -> o.get("kind").asText()).contains("device.attached", "driver.bound");

        Cli.Result kind = usblogd("events", "--kind", "device.stail");
        assertThat(kind.exit()).as("%s", kind).isEqualTo(1);
        assertThat(kind.out()).isEmpty();
        assertThat(kind.err().lines()).as("%s", kind).singleElement().asString()
                .startsWith("usblogd: no event of kind 'device.stail' has been recorded in " + state)
                .contains("kinds recorded: ").contains("daemon.started", "device.attached", "driver.bound");
        Cli.Result device = usblogd("events", "--device", "04d9:a052@v9-9");
        assertThat(device.exit()).isEqualTo(1);
        assertThat(device.err().lines()).singleElement().asString()
                .startsWith("usblogd: no device '04d9:a052@v9-9' is known").contains("known devices: ").contains(CO2);
    }

    @Test
    void followPrintsAnEventRecordedWhileItRunsAndEndsQuietlyOnSigterm() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "events", "--follow",
                "--since", "now", "--state", state.toString());
        pb.environment().remove("LD_PRELOAD");
        Path err = tmp.resolve("follow.err");
        Process follow = pb.redirectError(err.toFile()).start();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    seen.add(l);
                }
            } catch (java.io.IOException e) {
                seen.add("read failed: " + e);
            }
        });
        reader.start();
        try {
            Thread.sleep(3_000); // following, with nothing new yet
            assertThat(follow.isAlive()).as("still following").isTrue();
            PluginJars.drop("not a jar".getBytes(StandardCharsets.US_ASCII), home.resolve("plugins"), "garbage.jar");

            Dist.await("the broken plugin's event printed by --follow", 30_000, () -> seen.stream()
                    .anyMatch(l -> l.contains("  plugin.broken  ") && l.contains("garbage.jar")));
            assertThat(seen).allSatisfy(l -> assertThat(l).matches(EVENT_LINE));
            assertThat(seen).as("only what was recorded after it started").noneMatch(l -> l.contains("daemon.started"));
        } finally {
            follow.destroy(); // SIGTERM
        }
        assertThat(follow.waitFor(10, TimeUnit.SECONDS)).as("ended within 10 s of SIGTERM").isTrue();
        reader.join(5_000);
        assertThat(follow.exitValue()).isEqualTo(143);
        assertThat(Files.readString(err)).as("nothing on stderr").isEmpty();
        System.out.println("events --follow printed: " + seen);

        // the kind is known now
        assertThat(usblogd("events", "--kind", "plugin.broken").out()).contains("garbage.jar");
    }

    @Test
    void devicesShowTheNewestSampleStateAndChannelsAndNothingIsAttachedAfterKillMinusNine() throws Exception {
        Cli.Result first = usblogd("devices");
        assertThat(first.exit()).as("%s", first).isZero();
        String header = first.out().lines().findFirst().orElseThrow();
        assertThat(header).startsWith("DEVICE ").contains("STATE", "ATTACHED", "LAST SEEN (UTC)", "WHY")
                .doesNotEndWith(" ");
        assertThat(first.out().lines()).noneMatch(l -> l.endsWith(" "));
        assertThat(cell(first.out(), CO2, "STATE")).isEqualTo("logging");
        assertThat(cell(first.out(), CO2, "ATTACHED")).isEqualTo("yes");
        assertThat(cell(first.out(), CO2, "DRIVER")).isEqualTo("co2mon");
        Instant seen1 = Instant.parse(cell(first.out(), CO2, "LAST SEEN (UTC)"));
        Instant attachedAt = Instant.parse(json.readTree(usblogd("events", "--device", CO2, "--kind",
                "device.attached", "--format", "json").out().lines().findFirst().orElseThrow()).get("time").asText());
        Dist.await("LAST SEEN moving on with the samples", 30_000, HungPluginIT.quietly(() -> {
            try {
                return Instant.parse(cell(usblogd("devices").out(), CO2, "LAST SEEN (UTC)")).isAfter(seen1);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }));
        assertThat(Instant.parse(cell(usblogd("devices").out(), CO2, "LAST SEEN (UTC)")))
                .as("the newest sample, not the attach time").isAfter(attachedAt.plusSeconds(1));

        Cli.Result channels = usblogd("devices", "--channels");
        assertThat(channels.out().lines().findFirst().orElseThrow()).matches("DEVICE +CHANNEL +UNIT");
        assertThat(channels.out().lines()).anySatisfy(l -> assertThat(l).matches(Pattern.quote(CO2) + " +co2 +ppm"));

        JsonNode devices = json.readTree(usblogd("devices", "--format", "json").out());
        JsonNode co2 = find(devices, CO2);
        assertThat(co2.get("attached").asBoolean()).isTrue();
        assertThat(co2.get("state").asText()).isEqualTo("logging");
        assertThat(co2.get("driver").asText()).isEqualTo("co2mon");
        assertThat(co2.get("samples").asLong()).isPositive();
        assertThat(Instant.parse(co2.get("lastSeen").asText())).isAfterOrEqualTo(seen1);
        assertThat(co2.get("channels")).anySatisfy(c -> {
            assertThat(c.get("name").asText()).isEqualTo("co2");
            assertThat(c.get("unit").asText()).isEqualTo("ppm");
        });
        assertThat(devices).as("devices nothing takes have no driver").filteredOn(d -> d.get("state").asText()
                .equals("no driver")).allSatisfy(d -> assertThat(d.get("driver").isNull()).isTrue());

        daemon.destroyForcibly(); // SIGKILL: the database still marks the devices attached
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Cli.Result after = usblogd("devices");
        assertThat(after.exit()).as("%s", after).isZero();
        assertThat(cell(after.out(), CO2, "ATTACHED")).isEqualTo("no");
        assertThat(cell(after.out(), CO2, "STATE")).isEqualTo("daemon stopped");
        assertThat(json.readTree(usblogd("devices", "--format", "json").out())).allSatisfy(
                d -> assertThat(d.get("attached").asBoolean()).as(d.get("device").asText()).isFalse());
        System.out.println("devices after kill -9:\n" + after.out());
    }

    private Cli.Result usblogd(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        return Cli.run(home, List.of(), Map.of(), all.toArray(String[]::new));
    }

    /** The cell of a device's row under a column, by the header's offsets (columns are left-aligned). */
    private static String cell(String table, String device, String column) {
        List<String> lines = table.lines().toList();
        String header = lines.get(0);
        int at = header.indexOf(column);
        assertThat(at).as("column %s in %s", column, header).isNotNegative();
        String row = lines.stream().filter(l -> l.startsWith(device + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(device + " not in\n" + table));
        String rest = row.substring(at);
        int end = rest.indexOf("  ");
        return (end < 0 ? rest : rest.substring(0, end)).strip();
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
