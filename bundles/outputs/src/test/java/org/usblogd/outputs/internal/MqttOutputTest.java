package org.usblogd.outputs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.output.OutputStatus;
import org.usblogd.api.store.Micros;
import org.usblogd.testing.mosquitto.MosquittoBroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Level;

/**
 * One output's thread between a real H2 file in the store's schema and a real Mosquitto broker, read by a real
 * subscriber: topics and payloads, Home Assistant's discovery, the status topic, an outage of the broker, and
 * what the log says when the broker refuses the user, does not exist or does not speak TLS.
 */
class MqttOutputTest {
    private static final long T0 = Micros.of(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String PASSWORD = "right horse battery";
    private static final long MS = 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;
    private MosquittoBroker broker;
    private LocalStore store;
    private MqttClient subscriber;
    /** topic → payloads, in arrival order. */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    private FailureLogLines logged;

    @BeforeEach
    void setUp() throws Exception {
        if (!MosquittoBroker.installed()) {
            System.err.println("\n*** SKIPPED: no Mosquitto installed (apt-get install mosquitto); CI installs it ***\n");
        }
        Assumptions.assumeTrue(MosquittoBroker.installed(), "needs mosquitto");
        broker = MosquittoBroker.start("usblogd", PASSWORD, true);
        store = new LocalStore(state);
        logged = new FailureLogLines();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (logged != null) {
            logged.close();
        }
        if (subscriber != null && subscriber.isConnected()) {
            subscriber.disconnect();
        }
        if (subscriber != null) {
            subscriber.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyCommittedSampleAndEventReachesTheBrokerAsJsonOnItsChannelsTopic() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        long temp = store.channel("04d9:a052@v1-1", "temperature", "°C");
        store.commit(co2, T0, 2_500, 400);
        store.commit(temp, T0, 10, 20);
        store.event(T0, "device.attached", "co2 monitor");
        subscribe("usblogd/#");
        Forwarder f = forwarder("home", broker.url(), PASSWORD, Map.of());
        f.start();
        try {
            await("2,510 samples at the subscriber", () -> count("usblogd/test-node/04d9:a052@v1-1/") == 2_510);
            store.commit(co2, T0 + 2_500 * 1_000_000L, 100, 2_900);
            f.wake();
            await("the 100 committed since", () -> count("usblogd/test-node/04d9:a052@v1-1/co2") == 2_600);
            await("the status", () -> f.status().forwardedSamples() == 2_610 && f.status().backlogSamples() == 0);
            assertThat(f.status().connected()).isTrue();
            assertThat(f.status().target()).isEqualTo(broker.url());
        } finally {
            f.stop();
        }
        JsonNode first = JSON.readTree(seen.get("usblogd/test-node/04d9:a052@v1-1/temperature").get(0));
        assertThat(first.get("time").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(first.get("value").asDouble()).isEqualTo(20.0);
        assertThat(first.get("unit").asText()).isEqualTo("°C");
        assertThat(first.get("device").asText()).isEqualTo("04d9:a052@v1-1");
        assertThat(first.get("channel").asText()).isEqualTo("temperature");
        List<String> co2s = seen.get("usblogd/test-node/04d9:a052@v1-1/co2");
        assertThat(co2s.stream().map(p -> read(p).get("value").asDouble()).distinct().count()).isEqualTo(2_600);
        JsonNode event = read(seen.get("usblogd/test-node/events").get(0));
        assertThat(event.get("kind").asText()).isEqualTo("device.attached");
        assertThat(event.get("message").asText()).isEqualTo("co2 monitor");
        // online while forwarding; offline, retained, once the output stopped
        assertThat(seen.get("usblogd/test-node/status")).containsSubsequence("online", "offline");
        assertThat(retained("usblogd/test-node/status")).isEqualTo("offline");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().contains("usblogd-test-node"));
        assertThat(lines(Level.ERROR)).isEmpty();
        assertThat(lines(Level.INFO)).singleElement().asString().contains("output home: forwarding to "
                + broker.url() + " as node test-node");
    }

    @Test
    void severalSamplesPerMessageKeepTheNewestOnTopAndListThemAllInOrder() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 25, 400);
        subscribe("usblogd/#");
        Forwarder f = forwarder("home", broker.url(), PASSWORD, Map.of("samples.per.message", 10));
        f.start();
        try {
            await("25 samples in 3 messages", () -> count("usblogd/test-node/04d9:a052@v1-1/co2") == 3);
        } finally {
            f.stop();
        }
        List<JsonNode> messages = seen.get("usblogd/test-node/04d9:a052@v1-1/co2").stream().map(this::read).toList();
        assertThat(messages.stream().mapToInt(m -> m.get("samples").size()).sum()).isEqualTo(25);
        JsonNode last = messages.get(2);
        assertThat(last.get("samples").size()).isEqualTo(5);
        assertThat(last.get("value").asDouble()).isEqualTo(424.0);
        assertThat(last.get("time").asText()).isEqualTo(last.get("samples").get(4).get("time").asText());
        assertThat(last.get("samples").get(0).get("value").asDouble()).isEqualTo(420.0);
    }

    @Test
    void homeAssistantDiscoveryAnnouncesOneSensorPerChannelGroupedPerDeviceAsItsSchemaSays() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        long temp = store.channel("04d9:a052@v1-1", "temperature", "°C");
        long rh = store.channel("1a86:e025@v1-2", "humidity", "%RH");
        long level = store.channel("64bd:74e3@v1-3", "level", "dB");
        long r = store.channel("1a86:e025@v1-2", "R", "kΩ");
        for (long ch : List.of(co2, temp, rh, level, r)) {
            store.commit(ch, T0, 5, 1);
        }
        subscribe("homeassistant/#", "usblogd/#");
        Forwarder f = forwarder("ha", broker.url(), PASSWORD, Map.of("homeassistant", true));
        f.start();
        try {
            await("5 sensors announced", () -> count("homeassistant/") == 5);
            await("every sample", () -> f.status().forwardedSamples() == 25);
        } finally {
            f.stop();
        }
        Set<String> uniqueIds = new HashSet<>();
        Map<String, JsonNode> byChannel = new java.util.HashMap<>();
        seen.forEach((topic, payloads) -> {
            if (!topic.startsWith("homeassistant/")) {
                return;
            }
            assertThat(topic).matches("homeassistant/sensor/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+/config");
            assertThat(payloads).hasSize(1); // once per connection
            JsonNode c = read(payloads.get(0));
            org.usblogd.testing.mosquitto.HomeAssistantSchema.checkSensor(c);
            assertThat(uniqueIds.add(c.get("unique_id").asText())).as("unique_id unique").isTrue();
            // the sensor's state topic is where its samples went, and its template reads them
            String state = c.get("state_topic").asText();
            assertThat(seen).containsKey(state);
            assertThat(c.get("value_template").asText()).isEqualTo("{{ value_json.value }}");
            assertThat(read(seen.get(state).get(0)).get("value").isNumber()).isTrue();
            assertThat(c.get("availability_topic").asText()).isEqualTo("usblogd/test-node/status");
            byChannel.put(c.get("name").asText(), c);
        });
        assertThat(byChannel.get("co2").get("device_class").asText()).isEqualTo("carbon_dioxide");
        assertThat(byChannel.get("temperature").get("unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(byChannel.get("humidity").get("unit_of_measurement").asText()).isEqualTo("%");
        assertThat(byChannel.get("level").get("device_class").asText()).isEqualTo("sound_pressure");
        assertThat(byChannel.get("R").has("device_class")).isFalse();
        assertThat(byChannel.get("R").get("unit_of_measurement").asText()).isEqualTo("kΩ");
        // one device per USB device: its two sensors share its identifiers
        assertThat(byChannel.get("co2").get("device")).isEqualTo(byChannel.get("temperature").get("device"));
        assertThat(byChannel.get("co2").get("device")).isNotEqualTo(byChannel.get("humidity").get("device"));
        // retained: a Home Assistant started later still finds them
        assertThat(retained(seen.keySet().stream().filter(t -> t.startsWith("homeassistant/")).findFirst()
                .orElseThrow())).contains("unique_id");
    }

    @Test
    void aBrokerAwayForAWhileLosesNothingAndTheOutputCatchesUpOnItsReturn() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 100, 400);
        subscribeDurably("usblogd/test-node/04d9:a052@v1-1/co2");
        Forwarder f = forwarder("home", broker.url(), PASSWORD, Map.of());
        f.start();
        try {
            await("the first 100", () -> f.status().forwardedSamples() == 100);
            broker.stop();
            store.commit(co2, T0 + 100 * 1_000_000L, 300, 500);
            f.wake();
            await("the broker's absence noticed", () -> !f.status().connected() && f.status().lastError() != null);
            await("the backlog counted", () -> f.status().backlogSamples() == 300);
            broker.startAgain();
            await("connected again", () -> f.status().connected() && f.status().backlogSamples() == 0);
            awaitResubscribed();
            await("all 400 at the subscriber", () -> distinctValues("usblogd/test-node/04d9:a052@v1-1/co2") == 400);
        } finally {
            f.stop();
        }
        assertThat(lines(Level.ERROR)).singleElement().asString().contains("cannot reach the MQTT broker at "
                + broker.url(), "nothing is lost");
        assertThat(lines(Level.INFO)).last().asString().contains("output home: forwarding to " + broker.url()
                + " again after");
    }

    @Test
    void aWrongPasswordIsOneClearLineAndTheBacklogWaits() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 50, 400);
        Forwarder f = forwarder("home", broker.url(), "wrong", Map.of());
        f.start();
        try {
            await("failed attempts", () -> f.status().lastError() != null);
            Thread.sleep(1_000); // many attempts with the short back-off of the test
            await("the backlog kept", () -> f.status().backlogSamples() == 50);
            assertThat(f.status().connected()).isFalse();
        } finally {
            f.stop();
        }
        assertThat(lines(Level.ERROR)).singleElement().asString().contains(
                "output home (/conf/org.usblogd.output-home.cfg): the MQTT broker at " + broker.url()
                        + " refuses user 'usblogd'", "check user and password in /conf/org.usblogd.output-home.cfg",
                "nothing is lost");
        assertThat(store.log.backlog("home").samples()).isEqualTo(50);
    }

    @Test
    void anUnknownHostIsOneClearLine() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 5, 400);
        Forwarder f = forwarder("home", "mqtt://no-such-broker.invalid", PASSWORD, Map.of());
        failingFor(f, 500);
        assertThat(lines(Level.ERROR)).singleElement().asString().contains(
                "cannot reach the MQTT broker at mqtt://no-such-broker.invalid: no host is known by that name",
                "check the host in url in /conf/org.usblogd.output-home.cfg");
    }

    @Test
    void aBrokerThatDoesNotSpeakTlsOnThatPortIsOneClearLine() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 5, 400);
        // TLS asked of the broker's plain port
        Forwarder f = forwarder("home", "mqtts://127.0.0.1:" + broker.port, PASSWORD,
                Map.of("ca", broker.caFile().toString()));
        failingFor(f, 500);
        assertThat(lines(Level.ERROR)).singleElement().asString().contains("TLS with the MQTT broker at mqtts://127.0.0.1:"
                + broker.port + " failed", "check that the broker serves TLS on that port");
        assertThat(store.log.backlog("home").samples()).isEqualTo(5);
    }

    @Test
    void overTlsWithTheBrokersOwnCaEverySampleArrives() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 200, 400);
        subscribe("usblogd/#");
        Forwarder f = forwarder("home", broker.tlsUrl(), PASSWORD, Map.of("ca", broker.caFile().toString()));
        f.start();
        try {
            await("200 samples over TLS", () -> count("usblogd/test-node/04d9:a052@v1-1/co2") == 200);
        } finally {
            f.stop();
        }
        assertThat(lines(Level.ERROR)).isEmpty();
    }

    @Test
    void aTlsBrokerWhoseCaIsNotTrustedIsRefusedWithOneClearLine() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 5, 400);
        Forwarder f = forwarder("home", broker.tlsUrl(), PASSWORD, Map.of());
        failingFor(f, 500);
        assertThat(lines(Level.ERROR)).singleElement().asString().contains("TLS with the MQTT broker at "
                + broker.tlsUrl() + " failed", "name its CA's PEM file with ca =");
        assertThat(count("")).isZero();
    }

    @Test
    void reconnectingAgainAndAgainLeavesNoThreadBehind() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 5, 400);
        Forwarder warmUp = forwarder("home", broker.url(), "wrong", Map.of());
        warmUp.start();
        await("a failed attempt", () -> warmUp.status().lastError() != null);
        warmUp.stop();
        int before = Thread.activeCount();
        for (int i = 0; i < 5; i++) {
            Forwarder f = forwarder("home", broker.url(), i % 2 == 0 ? "wrong" : PASSWORD, Map.of());
            f.start();
            Thread.sleep(400); // attempts every 20 to 200 ms
            f.stop();
        }
        await("Paho's threads gone", () -> Thread.activeCount() <= before);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("MQTT"));
    }

    @Test
    void batchesOfTenThousandGoOutWithoutHittingPahosInFlightLimit() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        store.commit(co2, T0, 1_000_000L, 60_000, 400);
        Forwarder f = forwarder("home", broker.url(), PASSWORD, Map.of("batch", 10_000));
        f.start();
        try {
            await("60,000 samples acknowledged", () -> f.status().forwardedSamples() == 60_000);
        } finally {
            f.stop();
        }
        assertThat(lines(Level.ERROR)).as("no batch refused on the way").isEmpty();
    }

    @Test
    void aBrokerThatAcceptsButNeverAnswersLeavesNoThreadOrSocketBehind() throws Exception {
        store.commit(store.channel("04d9:a052@v1-1", "co2", "ppm"), T0, 5, 400);
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a word back
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            Map<String, Object> p = new java.util.HashMap<>(Map.of("type", "mqtt", "url", "mqtt://127.0.0.1:"
                    + silent.getLocalPort(), "node", "test-node", "felix.fileinstall.filename",
                    "file:/conf/org.usblogd.output-home.cfg"));
            OutputSettings s = OutputSettings.parse(p, w -> fail("warned: " + w), e -> fail("error: " + e));
            Forwarder f = new Forwarder(s, store.log, new MqttPeer(s, 1), new MqttFailures(s),
                    TimeUnit.SECONDS.toNanos(5), 20 * MS, 200 * MS);
            f.start();
            try {
                await("three attempts", () -> accepted.size() >= 3);
            } finally {
                f.stop();
            }
            await("Paho's threads gone", () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("MQTT")));
            await("every connection closed by the output", () -> accepted.stream().allMatch(this::closedByPeer));
            assertThat(lines(Level.ERROR)).singleElement().asString().contains("cannot reach the MQTT broker at");
            for (java.net.Socket a : accepted) {
                a.close();
            }
        }
    }

    private boolean closedByPeer(java.net.Socket s) {
        try {
            s.setSoTimeout(10);
            return s.getInputStream().read(new byte[4096]) < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void closingRightAfterAnAcknowledgedBatchPrintsNothingOnStderr() throws Exception {
        long co2 = store.channel("04d9:a052@v1-1", "co2", "ppm");
        Map<String, Object> p = new java.util.HashMap<>(Map.of("type", "mqtt", "url", broker.url(), "user", "usblogd",
                "password", PASSWORD, "node", "test-node", "felix.fileinstall.filename",
                "file:/conf/org.usblogd.output-home.cfg"));
        OutputSettings s = OutputSettings.parse(p, w -> fail("warned: " + w), e -> fail("error: " + e));
        List<org.usblogd.api.store.StoredSample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(new org.usblogd.api.store.StoredSample(T0 + i, "04d9:a052@v1-1", "co2", i, "ppm"));
        }
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 150; i++) {
                MqttPeer peer = new MqttPeer(s);
                peer.send(new Batch(samples, List.of()));
                if (i % 2 == 0) {
                    peer.close();
                } else {
                    peer.abort(); // as a stop does, from another thread
                    peer.close();
                }
            }
            Thread.sleep(500); // Paho's threads finishing
        } finally {
            System.setErr(err);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(co2).isPositive();
    }

    /** Runs the output until it has failed, then {@code millis} more (many attempts at the test's back-off). */
    private static void failingFor(Forwarder f, long millis) throws InterruptedException {
        f.start();
        try {
            await("failed attempts", () -> f.status().lastError() != null);
            Thread.sleep(millis);
        } finally {
            f.stop();
        }
    }

    /** An output with the test's short back-off. */
    private Forwarder forwarder(String name, String url, String password, Map<String, Object> more) throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("type", "mqtt", "url", url, "user", "usblogd",
                "password", password, "node", "test-node", "felix.fileinstall.filename",
                "file:/conf/org.usblogd.output-" + name + ".cfg"));
        p.putAll(more);
        OutputSettings s = OutputSettings.parse(p, w -> fail("warned: " + w), e -> fail("error: " + e));
        return new Forwarder(s, store.log, new MqttPeer(s), new MqttFailures(s), TimeUnit.SECONDS.toNanos(5), 20 * MS,
                200 * MS);
    }

    /** A client of the broker as the test's user; a durable one keeps its session across the broker's restart. */
    private MqttClient client(String id, boolean durable) throws Exception {
        MqttClient c = new MqttClient(broker.url().replace("mqtt://", "tcp://"), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("usblogd");
        o.setPassword(PASSWORD.toCharArray());
        o.setMaxInflight(5_000);
        if (durable) {
            o.setCleanSession(false);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(500);
            c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    seen.computeIfAbsent(topic, k -> new CopyOnWriteArrayList<>())
                            .add(new String(m.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
        }
        c.connect(o);
        return c;
    }

    private void subscribe(String... filters) throws Exception {
        subscriber = client("test-subscriber", false);
        for (String filter : filters) {
            subscriber.subscribe(filter, 1, (topic, m) -> seen.computeIfAbsent(topic,
                    k -> new CopyOnWriteArrayList<>()).add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        }
    }

    /** A subscriber whose session the broker keeps across its own restart (QoS 1, no clean session). */
    private void subscribeDurably(String filter) throws Exception {
        subscriber = client("test-durable", true);
        subscriber.subscribe(filter, 1);
    }

    private void awaitResubscribed() throws Exception {
        await("the subscriber back", () -> subscriber.isConnected());
    }

    /** The retained message on a topic, as a new subscriber gets it. */
    private String retained(String topic) throws Exception {
        MqttClient c = client("test-retained", false);
        List<String> got = new CopyOnWriteArrayList<>();
        c.subscribe(topic, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        await("the retained message on " + topic, () -> !got.isEmpty());
        c.disconnect();
        c.close();
        return got.get(0);
    }

    private long count(String topicPrefix) {
        return seen.entrySet().stream().filter(e -> e.getKey().startsWith(topicPrefix))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    private long distinctValues(String topic) {
        List<String> payloads = seen.getOrDefault(topic, List.of());
        return payloads.stream().map(p -> read(p).get("time").asText()).distinct().count();
    }

    private JsonNode read(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + payload, e);
        }
    }

    private List<String> lines(Level level) {
        return logged.at(level);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " not within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
