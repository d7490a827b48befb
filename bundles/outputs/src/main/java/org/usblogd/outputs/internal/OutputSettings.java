package org.usblogd.outputs.internal;

import java.util.Locale;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;

/**
 * What one right output file says, checked as a whole before it is used.
 *
 * @param name the file's NAME ({@code conf/org.usblogd.output-NAME.cfg}): the output's cursor in the store is kept
 *            under it, so renaming the file starts the output from the beginning (replays make no duplicates)
 * @param file the file, for log lines
 */
record OutputSettings(String name, String file, String type, String url, String user, String password, String node,
        int batch, Mqtt mqtt) {
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /** What only an MQTT output uses; a PostgreSQL output carries the defaults. */
    record Mqtt(String topic, String ca, int samplesPerMessage, boolean homeAssistant, String discoveryPrefix) {
        static final Mqtt DEFAULTS = new Mqtt("usblogd", "", 1, false, "homeassistant");
    }

    OutputSettings(String name, String file, String type, String url, String user, String password, String node,
            int batch) {
        this(name, file, type, url, user, password, node, batch, Mqtt.DEFAULTS);
    }

    /**
     * @throws IllegalArgumentException one line naming the file, the key, the value and what it takes; every
     *             other mistake goes to {@code more}
     */
    static OutputSettings parse(Map<String, ?> properties, java.util.function.Consumer<ConfigProblem> warn,
            java.util.function.Consumer<ConfigProblem> more) {
        OutputConfig c = OutputConfigRules.CHECK.check(properties).configOrThrow(warn, more);
        problem(properties).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        String url = c.url().strip();
        String node = c.node().strip().isEmpty() ? hostName() : c.node().strip();
        Mqtt mqtt = new Mqtt(c.topic().strip(), c.ca().strip(), c.samples_per_message(), c.homeassistant(),
                c.discovery_prefix().strip());
        return new OutputSettings(name(properties), ConfigCheck.file(properties), c.type().toLowerCase(Locale.ROOT),
                url, c.user().strip(), c.password(), node, c.batch(), mqtt);
    }

    boolean isMqtt() {
        return "mqtt".equals(type);
    }

    /** What is wrong beyond single values: a missing type, a URL that is not of the type's form, a missing CA file. */
    static java.util.Optional<String> problem(Map<String, ?> properties) {
        String file = ConfigCheck.file(properties);
        Object type = properties.get("type");
        if (type == null || type.toString().isBlank()) {
            return java.util.Optional.of(file + ": type is not set: expected postgresql or mqtt");
        }
        String u = text(properties, "url");
        if ("mqtt".equalsIgnoreCase(type.toString().strip())) {
            return mqttProblem(file, properties, u);
        }
        if (!u.startsWith("jdbc:postgresql://")) {
            return java.util.Optional.of(file + ": url = " + withoutSecrets(u) + " is not valid: expected"
                    + " jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> mqttProblem(String file, Map<String, ?> properties, String u) {
        MqttAddress address = MqttAddress.parse(u);
        if (address == null) {
            return java.util.Optional.of(file + ": url = " + withoutSecrets(u) + " is not valid: expected"
                    + " mqtt://HOST[:PORT] or, with TLS, mqtts://HOST[:PORT]");
        }
        String ca = text(properties, "ca");
        if (!ca.isEmpty() && !address.tls()) {
            return java.util.Optional.of(file + ": ca = " + ca + " is set but url = " + u + " does not use TLS:"
                    + " expected an mqtts:// url, or no ca");
        }
        if (!ca.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(ca))) {
            return java.util.Optional.of(file + ": ca = " + ca + " cannot be read: expected a PEM file of the"
                    + " broker's CA certificate, readable by the daemon's user");
        }
        for (String key : java.util.List.of("topic", "discovery.prefix")) {
            String topic = properties.containsKey(key) ? text(properties, key) : "default";
            if (topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.startsWith("/")
                    || topic.endsWith("/") || topic.startsWith("$")) {
                return java.util.Optional.of(file + ": " + key + " = " + topic + " is not valid: expected a topic"
                        + " prefix without wildcards (+, #), not starting with $ and without a leading or trailing /");
            }
        }
        return java.util.Optional.empty();
    }

    private static String text(Map<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null ? "" : v.toString().strip();
    }

    /** NAME of {@code PID-NAME.cfg}; the configuration's PID when it came from elsewhere. */
    static String name(Map<String, ?> properties) {
        Object f = properties.get(FILE_PROPERTY);
        if (f == null) {
            Object pid = properties.get("service.pid");
            return pid == null ? "output" : pid.toString();
        }
        String s = f.toString();
        s = s.substring(s.lastIndexOf('/') + 1);
        if (s.startsWith(OutputConfig.PID + "-")) {
            s = s.substring(OutputConfig.PID.length() + 1);
        }
        return s.endsWith(".cfg") ? s.substring(0, s.length() - 4) : s;
    }

    /** Where it forwards to, as log lines and the status say it: the URL without its parameters (a password). */
    String target() {
        if (isMqtt()) {
            return url;
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String hostName() {
        return defaultNode(java.nio.file.Path.of("/proc/sys/kernel/hostname"), java.nio.file.Path.of("/etc/machine-id"));
    }

    /**
     * The host name and the start of the machine's id ({@code raspberrypi-3f2a9c1b}): two boards that both kept
     * the image's host name would otherwise write one device's samples into one series, each dropping the
     * other's at equal times. Read from files, not looked up: nothing waits for a name service.
     */
    static String defaultNode(java.nio.file.Path hostname, java.nio.file.Path machineId) {
        String host;
        try {
            host = java.nio.file.Files.readString(hostname).strip();
        } catch (java.io.IOException e) {
            host = "";
        }
        if (host.isEmpty()) {
            String env = System.getenv("HOSTNAME");
            host = env == null || env.isBlank() ? "usblogd" : env.strip();
        }
        try {
            String id = java.nio.file.Files.readString(machineId).strip();
            return id.length() >= 8 ? host + "-" + id.substring(0, 8) : host;
        } catch (java.io.IOException e) {
            return host;
        }
    }

    /**
     * A URL as a log line may show it: a mistyped one may carry a password in its user part
     * ({@code postgresql://user:secret@host/db}) or its parameters ({@code ?password=secret}).
     */
    static String withoutSecrets(String url) {
        String u = url;
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q) + "?...";
        }
        int scheme = u.indexOf("://");
        int at = u.indexOf('@', scheme < 0 ? 0 : scheme + 3);
        int slash = u.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (at >= 0 && (slash < 0 || at < slash)) {
            u = u.substring(0, scheme < 0 ? 0 : scheme + 3) + "..." + u.substring(at);
        }
        return u;
    }
}
