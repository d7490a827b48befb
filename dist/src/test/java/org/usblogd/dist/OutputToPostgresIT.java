package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.usblogd.api.store.Micros;
import org.usblogd.testing.postgres.PostgresServer;

/**
 * The assembled daemon ({@code run --demo}) with one output file forwarding into a real PostgreSQL server: an
 * outage of the server, a kill -9 during it, a wrong password and a bad edit of the file, and afterwards
 * PostgreSQL holds every sample the local store committed, once.
 */
class OutputToPostgresIT {
    private static final String PASSWORD = "correct horse";
    private static final String CO2 = "04d9:a052@v1-1";
    private static final String POWER = "2e3c:5558@v1-2";
    /** The daemon's connections to the server: all but the test's own. */
    private static final String DAEMON_CONNECTIONS = "SELECT COUNT(*) FROM pg_stat_activity WHERE usename = 'usblogd'"
            + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

    @TempDir
    Path tmp;
    private PostgresServer server;
    private ForwardedRows rows;
    private final List<Process> daemons = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        var bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** SKIPPED: no PostgreSQL server installed (apt-get install postgresql); CI installs"
                    + " it ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent(), "needs PostgreSQL");
        server = PostgresServer.start(bin.get(), PASSWORD);
        rows = new ForwardedRows(server, PASSWORD);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : daemons) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOutageOfTheServerAndAKillDuringItLoseNothingAndDuplicateNothing() throws Exception {
        Path home = installation();
        writeOutput(home, PASSWORD, "500");
        Path state = tmp.resolve("state");
        Path firstLog = tmp.resolve("first.log");
        Process first = start(home, state, firstLog);
        await("power-meter samples in PostgreSQL", 60_000, () -> newest(POWER, "voltage") > 0);

        server.stop();
        long outageFrom = Micros.of(java.time.Instant.now());
        Thread.sleep(10_000); // the daemon logs on, the output holds it all back
        first.destroyForcibly(); // kill -9 during the outage: the cursor is in the store's file
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path secondLog = tmp.resolve("second.log");
        Process second = start(home, state, secondLog);
        Thread.sleep(10_000);
        long outageTo = Micros.of(java.time.Instant.now());
        server.startAgain();

        long cut = Micros.of(java.time.Instant.now()) + 5_000_000L;
        // a channel's samples are forwarded in time order: one at or after the cut means all before it are there
        await("PostgreSQL caught up past the cut", 120_000,
                () -> newest(POWER, "voltage") >= cut && newest(CO2, "co2") >= cut);
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Samples local = Samples.afterStop(state);
        for (String[] ch : new String[][] { { POWER, "voltage" }, { CO2, "co2" } }) {
            Map<Long, Double> stored = new TreeMap<>();
            List<Long> times = local.times(ch[0], ch[1]);
            List<Double> values = local.doubles(ch[0], ch[1]);
            for (int i = 0; i < times.size(); i++) {
                if (times.get(i) < cut) {
                    stored.put(times.get(i), values.get(i));
                }
            }
            Map<Long, Double> forwarded = forwarded(ch[0], ch[1], cut);
            assertThat(stored).as("%s %s committed before the cut", ch[0], ch[1]).isNotEmpty();
            assertThat(forwarded).as("%s %s in PostgreSQL", ch[0], ch[1]).isEqualTo(stored);
            if (ch[1].equals("voltage")) {
                long during = stored.keySet().stream().filter(t -> t >= outageFrom && t < outageTo).count();
                assertThat(during).as("samples logged during the outage (both daemons)").isGreaterThan(500);
                System.out.println("output to PostgreSQL: " + stored.size() + " power-meter voltages before the cut, "
                        + during + " of them logged during the 20 s outage, all in PostgreSQL once");
            }
        }
        // no duplicate can be counted there: the table's key is (node, device, channel, time), and the batches sent
        // again after the kill -9 and the outage went into it without an error, which is what the key is for
        assertThat(count("SELECT COUNT(*) FROM usblogd_event WHERE kind = 'daemon.started' AND node = 'it-node'"))
                .as("both starts' events").isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM usblogd_channel WHERE device = '" + CO2 + "' AND channel = 'co2'"
                + " AND unit = 'ppm'")).isEqualTo(1);

        String one = Files.readString(firstLog);
        String two = Files.readString(secondLog);
        assertThat(lines(one, "cannot reach PostgreSQL at " + server.url())).as(one).isEqualTo(1);
        assertThat(lines(two, "cannot reach PostgreSQL at " + server.url())).as(two).isEqualTo(1);
        assertThat(lines(two, "output central: forwarding to " + server.url() + " again after")).as(two).isEqualTo(1);
        assertThat(one + two).doesNotContain(PASSWORD);
        printOutputLines(one);
        printOutputLines(two);
    }

    @Test
    void aWrongPasswordIsOneLineTheBacklogWaitsAndAnEditWhileRunningSendsIt() throws Exception {
        Path home = installation();
        writeOutput(home, "not the password", "500");
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        Process daemon = start(home, state, log);
        String api = "http://127.0.0.1:" + HttpDaemon.awaitListening(log);
        Samples local = new Samples(state);
        await("samples logged", 60_000, () -> {
            try {
                return local.times(POWER, "voltage").size() > 1_000;
            } catch (AssertionError e) {
                return false; // the daemon's database server is not up yet
            }
        });
        Thread.sleep(5_000); // attempts go on with back-off
        int logged = local.times(POWER, "voltage").size();
        Thread.sleep(2_000);
        assertThat(local.times(POWER, "voltage").size()).as("logging goes on").isGreaterThan(logged + 100);
        assertThat(lines(Files.readString(log), "refuses user 'usblogd'")).as(Files.readString(log)).isEqualTo(1);
        assertThat(Files.readString(log)).contains("check user and password in " + home.resolve(
                "conf/org.usblogd.output-central.cfg").toRealPath());
        // the status other bundles read: the HTTP API and /metrics
        JsonNode output = json(api + "/api/v1/outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("central");
        assertThat(output.get("target").asText()).isEqualTo(server.url());
        assertThat(output.get("connected").asBoolean()).isFalse();
        assertThat(output.get("backlogSamples").asLong()).isGreaterThan(1_000);
        assertThat(output.get("forwardedSamples").asLong()).isZero();
        assertThat(output.get("lastError").asText()).contains("password authentication failed");
        assertThat(output.get("backlogOldest").asText()).startsWith("20");
        String status = command(home, state, "status");
        System.out.println("usblogd status with a wrong password:\n" + status);
        assertThat(status.lines().filter(l -> l.startsWith("central "))).as(status).singleElement().asString()
                .matches("central +[1-9][0-9]* +20\\S+ +.+ +[0-9]+");
        assertThat(command(home, state, "status", "--format", "json")).contains("\"outputs\"", "\"name\" : \"central\"");
        assertThat(get(api + "/metrics")).contains("usblogd_output_connected{output=\"central\",type=\"postgresql\"} 0.0")
                .containsPattern("usblogd_output_backlog_samples\\{output=\"central\",type=\"postgresql\"\\} [1-9]");

        // a bad edit: one line naming file, key, value and what it takes; the output keeps its last good file
        writeOutput(home, "not the password", "lots");
        await("the bad edit said", 30_000, () -> lines(read(log), "batch = lots is not valid: expected a whole number"
                + " from 1 to 100000") == 1);
        // the right password, written while the daemon runs: the backlog goes out
        writeOutput(home, PASSWORD, "500");
        long now = Micros.of(java.time.Instant.now());
        await("the backlog in PostgreSQL", 120_000, () -> newest(POWER, "voltage") >= now);
        assertThat(forwarded(POWER, "voltage", now).size()).isGreaterThanOrEqualTo(logged);
        assertThat(daemon.isAlive()).isTrue();
        assertThat(lines(read(log), "refuses user")).isEqualTo(1);
        await("connected in the status", 30_000, () -> {
            try {
                return json(api + "/api/v1/outputs").get(0).get("connected").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(get(api + "/metrics")).contains("usblogd_output_connected{output=\"central\",type=\"postgresql\"} 1.0");
        assertThat(count(DAEMON_CONNECTIONS)).as("one connection, after all the failed attempts").isEqualTo(1);

        // the file removed while the daemon runs: the output's thread, connection and cursors go
        Files.delete(home.resolve("conf/org.usblogd.output-central.cfg"));
        await("the output's connection closed", 30_000, () -> {
            try {
                return count(DAEMON_CONNECTIONS) == 0;
            } catch (Exception e) {
                return false;
            }
        });
        await("the output gone from the API", 30_000, () -> {
            try {
                return json(api + "/api/v1/outputs").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(read(log)).contains("output central: its file is gone; it forwards no more");
        long removedAt = newest(POWER, "voltage");
        Thread.sleep(3_000);
        assertThat(newest(POWER, "voltage")).as("nothing forwarded without the file").isEqualTo(removedAt);
        // and put back: it starts from the beginning, and the server keeps one row per sample
        writeOutput(home, PASSWORD, "500");
        long back = Micros.of(java.time.Instant.now());
        await("forwarding resumed", 60_000, () -> newest(POWER, "voltage") >= back);
        Map<Long, Double> all = forwarded(POWER, "voltage", back);
        List<Long> localTimes = local.times(POWER, "voltage").stream().filter(t -> t < back).toList();
        assertThat(all.keySet()).as("the gap while the file was gone filled").containsExactlyElementsOf(localTimes);
        assertThat(count(DAEMON_CONNECTIONS)).isEqualTo(1);
        printOutputLines(read(log));
    }

    /** What a user reads in the log about the output, for whoever looks at the test's output. */
    private static void printOutputLines(String log) {
        log.lines().filter(l -> l.contains("output central") || l.contains("org.usblogd.output"))
                .forEach(l -> System.out.println("  log: " + l));
    }

    private Path installation() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        return home;
    }

    /** Written to a temporary file and moved in, as an editor or a configuration tool does. */
    private void writeOutput(Path home, String password, String batch) throws Exception {
        Path cfg = home.resolve("conf/org.usblogd.output-central.cfg");
        Path temp = home.resolve("output-central.tmp");
        Files.writeString(temp, "type = postgresql\nurl = " + server.url() + "\nuser = " + PostgresServer.USER
                + "\npassword = " + password + "\nnode = it-node\nbatch = " + batch + "\n");
        Files.move(temp, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Process start(Path home, Path state, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    private long newest(String device, String channel) {
        return rows.newest("it-node", device, channel);
    }

    private Map<Long, Double> forwarded(String device, String channel, long before) throws Exception {
        return rows.samples("it-node", device, channel, before);
    }

    private long count(String sql) throws Exception {
        return rows.count(sql);
    }

    /** A command of the installation under test (its conf/ holds the output's file). */
    private static String command(Path home, Path state, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/usblogd").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state", state.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String get(String url) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(HttpDaemon.request(url, null).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode json(String url) throws Exception {
        return new ObjectMapper().readTree(get(url));
    }

    private static long lines(String log, String text) {
        return log.lines().filter(l -> l.contains(text)).count();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(String what, long millis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Dist.await(what, millis, condition);
    }
}
