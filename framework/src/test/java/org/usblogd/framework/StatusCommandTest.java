package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code usblogd status} on a real H2 file, the daemon being this process holding the lock (the assembled
 * daemon: StatusIT): running or not, the store's outage file, each device's newest sample and its age.
 */
class StatusCommandTest {
    private static final String CO2 = "04d9:a052@1-1";

    @TempDir
    Path state;

    private record Run(int exit, String out, String err) {
    }

    private Run status(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--state";
        all[args.length + 2] = state.toString();
        int exit = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** CO2 attached and bound, its newest sample 90 s old. */
    private Instant database() throws Exception {
        Instant newest = Instant.now().minusSeconds(90);
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            Schema.ensure(c);
            s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen, attached, driver) VALUES ('"
                    + CO2 + "', 1241, 41042, 0, 0, TRUE, 'co2mon')");
            s.execute("INSERT INTO channel(device_id, name, unit) SELECT id, 'co2', 'ppm' FROM device");
            s.execute("INSERT INTO event(t, device_id, kind, message) SELECT 0, id, 'device.attached', 'co2' FROM device");
            s.execute("INSERT INTO event(t, device_id, kind, message) SELECT 0, id, 'driver.bound', 'co2mon' FROM device");
            s.execute("INSERT INTO sample(channel_id, t, v) SELECT id, " + SqlSampleStore.micros(newest)
                    + ", 400 FROM channel");
            s.execute("SHUTDOWN");
        }
        return newest;
    }

    @Test
    void withoutADaemonItSaysNotRunningShowsTheDevicesAsStoppedAndExitsWith3() throws Exception {
        database();
        Run r = status();
        assertThat(r.exit()).as("%s", r).isEqualTo(3);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("daemon: not running on " + state + "\nstore:  closed, ")
                .contains(", 0 samples in the last minute");
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches(CO2 + " +daemon stopped +\\S+Z +1 min 3\\d s"));
    }

    @Test
    void whileTheDaemonHoldsTheLockItShowsItsPidUptimeAndEachDevicesStateAndAgeAndExitsWith0() throws Exception {
        Instant newest = database();
        try (StateLock lock = StateLock.acquire(state)) {
            Run r = status();
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).startsWith("daemon: running, pid " + ProcessHandle.current().pid() + ", up ")
                    .contains("store:  open, ").contains("0 dropped since the daemon started");
            assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches(CO2 + " +logging +\\S+Z +1 min 3\\d s"));

            JsonNode json = new ObjectMapper().readTree(status("--format", "json").out());
            assertThat(json.at("/daemon/running").asBoolean()).isTrue();
            assertThat(json.at("/daemon/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Instant.parse(json.at("/daemon/started").asText()))
                    .isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow());
            assertThat(json.at("/store/state").asText()).isEqualTo("open");
            assertThat(json.at("/store/bytes").asLong()).isEqualTo(Files.size(new StoreLocation(state).databaseFile()));
            JsonNode co2 = json.at("/devices/0");
            assertThat(co2.get("device").asText()).isEqualTo(CO2);
            assertThat(co2.get("state").asText()).isEqualTo("logging");
            assertThat(Instant.parse(co2.get("lastSample").asText())).isEqualTo(newest.truncatedTo(
                    java.time.temporal.ChronoUnit.MICROS));
            assertThat(co2.get("ageSeconds").asDouble()).isBetween(90.0, 150.0);
        }
    }

    @Test
    void anOutageTheStoreWroteDownIsShownWithItsReasonAndExitStatus1() throws Exception {
        database();
        Files.writeString(new StoreLocation(state).outageFile(), "2026-12-01T10:00:00Z\nthe disk is full\n");
        try (StateLock lock = StateLock.acquire(state)) {
            Run r = status();
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.out()).contains("store:  outage since 2026-12-01T10:00:00Z: the disk is full, ");
        }
        Run stopped = status();
        assertThat(stopped.exit()).as("a file left by a killed daemon: %s", stopped).isEqualTo(3);
        assertThat(stopped.out()).doesNotContain("outage");
    }

    @Test
    void eachOutputWithACursorShowsWhatItHasNotForwardedYetAndWithoutOutputsNothingIsSaid() throws Exception {
        Instant newest = database();
        assertThat(status().out()).doesNotContain("OUTPUT");
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            // one output has forwarded everything, the other nothing yet
            s.execute("INSERT INTO output_cursor(output, channel_id, t) SELECT 'done', id, " + SqlSampleStore.micros(
                    newest) + " FROM channel");
            s.execute("INSERT INTO output_event_cursor(output, event_id) SELECT 'done', MAX(id) FROM event");
            s.execute("INSERT INTO output_event_cursor(output, event_id) VALUES ('behind', 0)");
            s.execute("SHUTDOWN");
        }
        Run r = status();
        assertThat(r.out()).contains("OUTPUT  BACKLOG SAMPLES  OLDEST (UTC)");
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("behind +1 +\\S+Z +1 min 3\\d s +2"))
                .anySatisfy(l -> assertThat(l).matches("done +0 +- +- +0"));
        JsonNode json = new ObjectMapper().readTree(status("--format", "json").out());
        assertThat(json.at("/outputs/0/name").asText()).isEqualTo("behind");
        assertThat(json.at("/outputs/0/backlogSamples").asLong()).isEqualTo(1);
        assertThat(json.at("/outputs/1/backlogOldest").isMissingNode()).isTrue();
    }

    @Test
    void aStateDirectoryThatDoesNotExistIsAnErrorAndOneWithoutADatabaseIsNotRunning() throws Exception {
        Run none = status();
        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.out()).contains("store:  no database yet");
        Path gone = state.resolve("gone");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] { "status", "--state", gone.toString() }, new PrintStream(
                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usblogd: the state directory " + gone
                + " does not exist").hasLineCount(1);
    }

    @Test
    void agesReadAsPeopleSayThem() {
        assertThat(StatusCommand.age(Duration.ofMillis(400))).isEqualTo("0.4 s");
        assertThat(StatusCommand.age(Duration.ofSeconds(12))).isEqualTo("12 s");
        assertThat(StatusCommand.age(Duration.ofSeconds(184))).isEqualTo("3 min 4 s");
        assertThat(StatusCommand.age(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(StatusCommand.age(Duration.ofHours(76))).isEqualTo("3 d 4 h");
        assertThat(StatusCommand.age(Duration.ofSeconds(-5))).isEqualTo("-5.0 s");
    }
}
