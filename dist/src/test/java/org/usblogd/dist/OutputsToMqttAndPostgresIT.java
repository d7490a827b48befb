package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.store.Micros;
import org.usblogd.testing.mosquitto.HomeAssistantSchema;
import org.usblogd.testing.mosquitto.MosquittoBroker;
import org.usblogd.testing.postgres.PostgresServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Three assembled daemons ({@code run --demo}), each on its own state directory and node name, forwarding into
 * one real Mosquitto broker (with Home Assistant discovery) and one real PostgreSQL database: the broker is
 * stopped for 60 s, one daemon is killed with kill -9 during that and started again, and afterwards PostgreSQL
 * holds every sample each daemon committed, once, and a subscriber has seen every one of them at least once.
 */
class OutputsToMqttAndPostgresIT {
    private static final String PASSWORD = "correct horse";
    private static final String CO2 = "04d9:a052@v1-1";
    private static final String POWER = "2e3c:5558@v1-2";
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private PostgresServer postgres;
    private ForwardedRows rows;
    private MosquittoBroker broker;
    private MqttClient subscriber;
    /** What the subscriber saw: topic → sample times (µs), and discovery topic → its last payload. */
    private final Map<String, Set<Long>> seen = new ConcurrentHashMap<>();
    private final Map<String, String> discovery = new ConcurrentHashMap<>();
    private final Map<String, String> status = new ConcurrentHashMap<>();
    private final List<Process> daemons = new ArrayList<>();

    @BeforeEach
    void startServers() throws Exception {
        var bin = PostgresServer.binaries();
        if (bin.isEmpty() || !MosquittoBroker.installed()) {
            System.err.println("\n*** SKIPPED: needs PostgreSQL and Mosquitto (apt-get install postgresql mosquitto);"
                    + " CI installs them ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent() && MosquittoBroker.installed(), "needs PostgreSQL and Mosquitto");
        postgres = PostgresServer.start(bin.get(), PASSWORD);
        rows = new ForwardedRows(postgres, PASSWORD);
        broker = MosquittoBroker.start("usblogd", PASSWORD, false);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : daemons) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (subscriber != null) {
            subscriber.disconnectForcibly(0, 1_000);
            subscriber.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void threeDaemonsLoseNothingThroughABrokerOutageOf60SecondsAndAKillDuringIt() throws Exception {
        subscribe();
        Map<String, Path> homes = new TreeMap<>();
        Map<String, Path> states = new TreeMap<>();
        Map<String, Process> running = new TreeMap<>();
        for (String node : NODES) {
            Path home = tmp.resolve(node);
            PluginJars.copyOfInstallation(home);
            Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
            Files.writeString(home.resolve("conf/org.usblogd.output-home.cfg"), "type = mqtt\nurl = " + broker.url()
                    + "\nuser = usblogd\npassword = " + PASSWORD + "\nnode = " + node + "\nhomeassistant = true\n");
            Files.writeString(home.resolve("conf/org.usblogd.output-central.cfg"), "type = postgresql\nurl = "
                    + postgres.url() + "\nuser = " + PostgresServer.USER + "\npassword = " + PASSWORD + "\nnode = "
                    + node + "\n");
            homes.put(node, home);
            states.put(node, tmp.resolve(node + "-state"));
            running.put(node, start(home, states.get(node), tmp.resolve(node + ".log")));
        }
        for (String node : NODES) {
            Dist.await(node + "'s power meter at the subscriber and in PostgreSQL", 90_000,
                    () -> newestSeen(node, POWER, "voltage") > 0 && newestStored(node, POWER, "voltage") > 0);
        }

        broker.stop();
        long outageFrom = Micros.of(Instant.now());
        Thread.sleep(20_000);
        running.get("node-b").destroyForcibly(); // kill -9 while the broker is away
        assertThat(running.get("node-b").waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(5_000);
        running.put("node-b", start(homes.get("node-b"), states.get("node-b"), tmp.resolve("node-b-again.log")));
        Thread.sleep(35_000);
        long outageTo = Micros.of(Instant.now());
        broker.startAgain();

        long cut = Micros.of(Instant.now()) + 5_000_000L;
        // a channel's samples are forwarded in time order: one at or after the cut means all before it are there
        for (String node : NODES) {
            Dist.await(node + " caught up past the cut", 180_000, () -> newestSeen(node, POWER, "voltage") >= cut
                    && newestSeen(node, CO2, "co2") >= cut && newestStored(node, POWER, "voltage") >= cut
                    && newestStored(node, CO2, "co2") >= cut);
            assertThat(status.get("usblogd/" + node + "/status")).as(node + "'s availability").isEqualTo("online");
        }
        // the two channels above are two of some forty a node forwards in turn: the rest are past the cut too once
        // the output's oldest unforwarded sample is (a channel announced in a batch the broker's stop cut short
        // has its samples sent again, in its turn)
        for (String node : NODES) {
            String api = "http://127.0.0.1:" + HttpDaemon.awaitListening(tmp.resolve(
                    node.equals("node-b") ? "node-b-again.log" : node + ".log"));
            long from = System.nanoTime();
            Dist.await(node + "'s MQTT output past the cut on every channel", 120_000, () -> {
                try {
                    for (JsonNode o : JSON.readTree(get(api + "/api/v1/outputs"))) {
                        if (o.get("name").asText().equals("home")) {
                            JsonNode oldest = o.get("backlogOldest");
                            return oldest == null || oldest.isNull()
                                    || Micros.of(Instant.parse(oldest.asText())) >= cut;
                        }
                    }
                    return false;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
            System.out.println("outputs: " + node + "'s every channel past the cut "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from) + " ms after its power meter and CO2");
        }
        for (String node : NODES) {
            running.get(node).destroy();
            assertThat(running.get(node).waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        long duringOutage = 0;
        for (String node : NODES) {
            Samples local = Samples.afterStop(states.get(node));
            for (String[] ch : new String[][] { { POWER, "voltage" }, { CO2, "co2" } }) {
                Map<Long, Double> committed = new TreeMap<>();
                List<Long> times = local.times(ch[0], ch[1]);
                List<Double> values = local.doubles(ch[0], ch[1]);
                for (int i = 0; i < times.size(); i++) {
                    if (times.get(i) < cut) {
                        committed.put(times.get(i), values.get(i));
                    }
                }
                assertThat(committed).as("%s %s %s committed", node, ch[0], ch[1]).isNotEmpty();
                assertThat(stored(node, ch[0], ch[1], cut)).as("%s %s %s in PostgreSQL", node, ch[0], ch[1])
                        .isEqualTo(committed);
                Set<Long> atSubscriber = seen.getOrDefault(topic(node, ch[0], ch[1]), Set.of());
                assertThat(atSubscriber).as("%s %s %s at the subscriber", node, ch[0], ch[1])
                        .containsAll(committed.keySet());
                if (ch[1].equals("voltage")) {
                    duringOutage += committed.keySet().stream().filter(t -> t >= outageFrom && t < outageTo).count();
                }
            }
        }
        assertThat(duringOutage).as("voltages logged during the broker's outage").isGreaterThan(1_000);
        System.out.println("outputs: " + duringOutage + " power-meter voltages logged by 3 daemons during the 60 s"
                + " broker outage (one killed -9 in it); all in PostgreSQL once and seen by the subscriber");

        // Home Assistant's discovery: every channel of every node, each a sensor as its schema says
        // what Home Assistant reads when it starts, and again on each connection to the broker (it subscribes
        // anew, so a restarted broker sends it every one): the retained configurations, on a new subscription.
        // Not the copies this test's subscriber saw live: its session outlives the broker's restart without a
        // new subscription, and a copy lost to it there is not lost to Home Assistant
        Map<String, String> retained = retainedDiscovery();
        assertThat(retained.keySet()).as("every configuration seen live is retained").containsAll(discovery.keySet());
        Set<String> uniqueIds = new HashSet<>();
        for (String node : NODES) {
            List<JsonNode> sensors = retained.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("homeassistant/sensor/usblogd_" + node + "/"))
                    .map(e -> read(e.getValue())).toList();
            Set<String> stateTopics = new HashSet<>();
            for (JsonNode sensor : sensors) {
                HomeAssistantSchema.checkSensor(sensor);
                assertThat(uniqueIds.add(sensor.get("unique_id").asText())).as("unique_id unique").isTrue();
                assertThat(sensor.get("availability_topic").asText()).isEqualTo("usblogd/" + node + "/status");
                stateTopics.add(sensor.get("state_topic").asText());
            }
            Set<String> sampleTopics = new HashSet<>(seen.keySet().stream()
                    .filter(t -> t.startsWith("usblogd/" + node + "/")).toList());
            assertThat(stateTopics).as(node + ": a sensor per channel").isEqualTo(sampleTopics);
            assertThat(status.get("usblogd/" + node + "/status")).as(node + " stopped").isEqualTo("offline");
        }
        for (String node : NODES) {
            String log = Files.readString(tmp.resolve(node + ".log"));
            assertThat(log).contains("output home: forwarding to " + broker.url() + " as node " + node)
                    .doesNotContain(PASSWORD);
        }
        String again = Files.readString(tmp.resolve("node-b-again.log"));
        assertThat(again.lines().filter(l -> l.contains("cannot reach the MQTT broker at " + broker.url())))
                .as(again).hasSize(1);
        assertThat(again).contains("output home: forwarding to " + broker.url() + " again after");
    }

    @Test
    void aWrongBrokerPasswordIsOneLineLoggingGoesOnAndAnEditWhileRunningSendsTheBacklog() throws Exception {
        subscribe();
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        writeMqttOutput(home, "not the password");
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        Process daemon = start(home, state, log);
        String api = "http://127.0.0.1:" + HttpDaemon.awaitListening(log);
        Samples local = new Samples(state);
        Dist.await("samples logged", 60_000, () -> {
            try {
                return local.times(POWER, "voltage").size() > 1_000;
            } catch (AssertionError e) {
                return false; // the daemon's database server is not up yet
            }
        });
        int logged = local.times(POWER, "voltage").size();
        Thread.sleep(3_000); // attempts go on with back-off; so does logging
        assertThat(local.times(POWER, "voltage").size()).as("logging goes on").isGreaterThan(logged + 100);
        String text = Files.readString(log);
        assertThat(text.lines().filter(l -> l.contains("refuses user 'usblogd'"))).as(text).hasSize(1);
        assertThat(text).contains("the MQTT broker at " + broker.url() + " refuses user 'usblogd'",
                "check user and password in " + home.resolve("conf/org.usblogd.output-home.cfg").toRealPath())
                .doesNotContain("not the password");
        JsonNode output = JSON.readTree(get(api + "/api/v1/outputs")).get(0);
        assertThat(output.get("type").asText()).isEqualTo("mqtt");
        assertThat(output.get("target").asText()).isEqualTo(broker.url());
        assertThat(output.get("connected").asBoolean()).isFalse();
        assertThat(output.get("backlogSamples").asLong()).isGreaterThan(1_000);
        assertThat(get(api + "/metrics")).contains("usblogd_output_connected{output=\"home\",type=\"mqtt\"} 0.0");

        writeMqttOutput(home, PASSWORD);
        long now = Micros.of(Instant.now());
        Dist.await("the backlog at the subscriber", 120_000, () -> newestSeen("it-node", POWER, "voltage") >= now);
        assertThat(seen.get(topic("it-node", POWER, "voltage"))).as("everything logged while refused")
                .containsAll(local.times(POWER, "voltage").subList(0, logged));
        assertThat(daemon.isAlive()).isTrue();
        Dist.await("connected in the metrics", 30_000, () -> {
            try {
                return get(api + "/metrics").contains("usblogd_output_connected{output=\"home\",type=\"mqtt\"} 1.0");
            } catch (Exception e) {
                return false;
            }
        });

        // a bad edit: one line naming the file, the key, the value and what it takes; forwarding goes on
        Path cfg = home.resolve("conf/org.usblogd.output-home.cfg");
        Files.writeString(home.resolve("output-home.tmp"), Files.readString(cfg) + "samples.per.message = lots\n");
        Files.move(home.resolve("output-home.tmp"), cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Dist.await("the bad edit said", 30_000, () -> {
            try {
                return Files.readString(log).lines().filter(l -> l.contains("samples.per.message = lots is not"
                        + " valid")).count() == 1;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        long afterEdit = Micros.of(Instant.now());
        Dist.await("forwarding after the bad edit", 60_000, () -> newestSeen("it-node", POWER, "voltage") >= afterEdit);
        assertThat(daemon.isAlive()).isTrue();
    }

    /** Written to a temporary file and moved in, as an editor or a configuration tool does. */
    private void writeMqttOutput(Path home, String password) throws Exception {
        Path temp = home.resolve("output-home.tmp");
        Files.writeString(temp, "type = mqtt\nurl = " + broker.url() + "\nuser = usblogd\npassword = " + password
                + "\nnode = it-node\n");
        Files.move(temp, home.resolve("conf/org.usblogd.output-home.cfg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String get(String url) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(HttpDaemon.request(url, null).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String topic(String node, String device, String channel) {
        return "usblogd/" + node + "/" + device + "/" + channel;
    }

    private long newestSeen(String node, String device, String channel) {
        return seen.getOrDefault(topic(node, device, channel), Set.of()).stream().mapToLong(Long::longValue).max()
                .orElse(0);
    }

    /** A subscriber whose session the broker keeps through its restart: it misses nothing published meanwhile. */
    private void subscribe() throws Exception {
        subscriber = new MqttClient("tcp://127.0.0.1:" + broker.port, "it-subscriber", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("usblogd");
        o.setPassword(PASSWORD.toCharArray());
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1_000);
        subscriber.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                String payload = new String(m.getPayload(), StandardCharsets.UTF_8);
                if (topic.startsWith("homeassistant/")) {
                    discovery.put(topic, payload);
                } else if (topic.endsWith("/status")) {
                    status.put(topic, payload);
                } else if (!topic.endsWith("/events")) {
                    seen.computeIfAbsent(topic, k -> ConcurrentHashMap.newKeySet())
                            .add(Micros.of(Instant.parse(read(payload).get("time").asText())));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        subscriber.connect(o);
        subscriber.subscribe(new String[] { "usblogd/#", "homeassistant/#" }, new int[] { 1, 1 });
    }

    /** The retained messages under {@code homeassistant/}, as a client subscribing now receives them. */
    private Map<String, String> retainedDiscovery() throws Exception {
        Map<String, String> got = new ConcurrentHashMap<>();
        MqttClient reader = new MqttClient("tcp://127.0.0.1:" + broker.port, "it-retained-reader",
                new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("usblogd");
        o.setPassword(PASSWORD.toCharArray());
        o.setCleanSession(true);
        reader.connect(o);
        try {
            reader.subscribe("homeassistant/#", 1, (topic, m) -> {
                if (m.isRetained() && m.getPayload().length > 0) {
                    got.put(topic, new String(m.getPayload(), StandardCharsets.UTF_8));
                }
            });
            // the broker sends retained messages at once on a subscription: wait for those seen live, then until
            // no more come
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!got.keySet().containsAll(discovery.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            int before = -1;
            while (got.size() != before) {
                before = got.size();
                Thread.sleep(1_000);
            }
        } finally {
            reader.disconnect();
            reader.close();
        }
        return got;
    }

    private Process start(Path home, Path state, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        daemons.add(p);
        return p;
    }

    private long newestStored(String node, String device, String channel) {
        return rows.newest(node, device, channel);
    }

    private Map<Long, Double> stored(String node, String device, String channel, long before) throws Exception {
        return rows.samples(node, device, channel, before);
    }

    private static JsonNode read(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + payload, e);
        }
    }
}
