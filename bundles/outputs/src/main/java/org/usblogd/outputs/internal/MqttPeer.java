package org.usblogd.outputs.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * An MQTT broker, through Eclipse Paho: every message at QoS 1, and a batch counts as sent only once the broker
 * acknowledged each of its messages. The session is clean and Paho keeps nothing on disk: what was in flight
 * when a connection broke is sent again from the output's cursor, which the store keeps. While connected, the
 * status topic says {@code online} (retained); the broker's last will says {@code offline} when the connection
 * is lost, and the output says it itself when it stops.
 */
final class MqttPeer implements Peer {
    private static final int CONNECT_TIMEOUT_S = 10;
    private static final int KEEP_ALIVE_S = 30;
    /** What the broker may take to acknowledge the next message before the connection counts as broken. */
    private static final long ACK_TIMEOUT_MS = 60_000;
    /**
     * Messages in flight at once, which keeps memory small. Paho's own limit is set far above it: Paho counts an
     * acknowledged message out only on its callback thread, after it has woken the thread waiting for it, so a
     * window as large as its limit would meet "too many publishes in progress" now and then.
     */
    private static final int WINDOW = 1_000;
    private static final int PAHO_MAX_INFLIGHT = 65_535;
    /**
     * Paho logs through java.util.logging, which would write to the daemon's stderr (a keep-alive timeout is
     * SEVERE there); what it reports reaches the output as an exception, which the output's log line tells.
     * Held here so that the setting is not lost with a collected logger.
     */
    private static final java.util.logging.Logger PAHO_LOG = quiet("org.eclipse.paho.client.mqttv3");
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);

    private final OutputSettings settings;
    private final int connectTimeoutS;
    private final MqttAddress address;
    private final MqttMessages messages;
    /** Null unless the file switches discovery on. */
    private final HomeAssistantDiscovery discovery;
    /** Volatile for {@link #abort()} alone: only the output's thread opens and uses it. */
    private volatile MqttAsyncClient client;
    /** Channels announced to Home Assistant on this connection: each is announced once per connection. */
    private final Set<List<String>> announced = new HashSet<>();

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.OFF);
        return l;
    }

    MqttPeer(OutputSettings settings) {
        this(settings, CONNECT_TIMEOUT_S);
    }

    /** @param connectTimeoutS for the TCP connection, and 5 s more for the broker's answer to CONNECT */
    MqttPeer(OutputSettings settings, int connectTimeoutS) {
        this.connectTimeoutS = connectTimeoutS;
        this.settings = settings;
        this.address = MqttAddress.parse(settings.url());
        OutputSettings.Mqtt m = settings.mqtt();
        this.messages = new MqttMessages(m.topic(), settings.node(), m.samplesPerMessage());
        this.discovery = m.homeAssistant() ? new HomeAssistantDiscovery(messages, m.discoveryPrefix(),
                settings.node()) : null;
    }

    MqttMessages messages() {
        return messages;
    }

    /**
     * A connection that never got as far as the broker's acknowledgement: over TLS, a broker that ends it then
     * (a plain port resets a TLS client's hello) is one that does not speak TLS there, not one that is away.
     */
    static final class ConnectFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ConnectFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public void connect() throws Exception {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            return;
        }
        close();
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false); // the output's thread reconnects, with its back-off and its log lines
        o.setConnectionTimeout(connectTimeoutS);
        o.setKeepAliveInterval(KEEP_ALIVE_S);
        o.setMaxInflight(PAHO_MAX_INFLIGHT);
        if (!settings.user().isEmpty()) {
            o.setUserName(settings.user());
            o.setPassword(settings.password().toCharArray());
        }
        o.setWill(messages.statusTopic(), OFFLINE, 1, true);
        if (address.tls()) {
            o.setSocketFactory(TrustedCa.socketFactory(settings.mqtt().ca()));
            o.setHttpsHostnameVerificationEnabled(true);
        }
        c = new MqttAsyncClient(address.pahoUri(), clientId(), new MemoryPersistence());
        client = c;
        try {
            c.connect(o).waitForCompletion(TimeUnit.SECONDS.toMillis(connectTimeoutS + 5));
            c.publish(messages.statusTopic(), ONLINE, 1, true).waitForCompletion(ACK_TIMEOUT_MS);
        } catch (MqttException | RuntimeException e) {
            close();
            throw new ConnectFailed(e);
        }
        announced.clear();
    }

    /** Unique per logger and output: a broker drops the older of two connections with one id. */
    private String clientId() {
        return HomeAssistantDiscovery.id("usblogd-" + settings.node() + "-" + settings.name());
    }

    @Override
    public void send(Batch batch) throws Exception {
        connect();
        MqttAsyncClient c = client;
        List<MqttMessages.Message> out = new ArrayList<>();
        Set<List<String>> announcing = new LinkedHashSet<>();
        if (discovery != null) {
            for (StoredSample s : batch.samples()) {
                List<String> ch = List.of(s.device(), s.channel(), s.unit());
                if (!announced.contains(ch) && announcing.add(ch)) {
                    out.add(discovery.sensor(s.device(), s.channel(), s.unit()));
                }
            }
        }
        out.addAll(messages.samples(batch.samples()));
        for (StoredEvent e : batch.events()) {
            out.add(messages.event(e));
        }
        try {
            // the timeout is on progress, not on the batch: a slow uplink catching up on a large batch still moves
            ArrayDeque<IMqttDeliveryToken> inFlight = new ArrayDeque<>();
            for (MqttMessages.Message m : out) {
                if (inFlight.size() >= WINDOW) {
                    inFlight.poll().waitForCompletion(ACK_TIMEOUT_MS);
                }
                inFlight.add(c.publish(m.topic(), m.payload(), 1, m.retained()));
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().waitForCompletion(ACK_TIMEOUT_MS);
            }
        } catch (MqttException | RuntimeException e) {
            close(); // whatever state the connection is in, the next batch starts on a new one
            throw e;
        }
        announced.addAll(announcing); // only once acknowledged: a lost connection announces them again
    }

    @Override
    public boolean connected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    @Override
    public void abort() {
        MqttAsyncClient c = client;
        if (c != null) {
            try {
                // ends the connection at once: tokens the output's thread waits on fail, and it goes on to close
                c.disconnectForcibly(0, 0, false);
            } catch (MqttException | RuntimeException e) {
                // the thread's own close follows
            }
        }
    }

    @Override
    public void close() {
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            // in any state, a connect still waiting for the broker's answer too (Paho has no timeout of its own
            // for that): it ends the socket and Paho's threads. No DISCONNECT packet: the broker publishes the
            // last will (offline) until the next connect. Not followed by Paho's close(), which only clears
            // fields a receiver thread that is still finishing may yet read (a NullPointerException on stderr)
            c.disconnectForcibly(0, 1_000, false);
        } catch (MqttException | RuntimeException e) {
            // the connection is given up either way
        }
    }

    @Override
    public void leave() {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            try {
                c.publish(messages.statusTopic(), OFFLINE, 1, true).waitForCompletion(2_000);
                c.disconnect(1_000).waitForCompletion(2_000);
            } catch (MqttException | RuntimeException e) {
                // the last will says offline instead, once the broker sees the connection gone
            }
        }
        close();
    }
}
