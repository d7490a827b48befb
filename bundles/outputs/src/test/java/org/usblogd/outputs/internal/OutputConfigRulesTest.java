package org.usblogd.outputs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rules of conf/org.usblogd.output-NAME.cfg, as the output and {@code usblogd check} apply them. */
class OutputConfigRulesTest {
    private static final String FILE = "/etc/usblogd/org.usblogd.output-central.cfg";
    private final OutputConfigRules rules = new OutputConfigRules();

    @Test
    void aRightFileHasNoProblemAndNamesTheOutputAfterTheFile() {
        Map<String, Object> p = right();
        assertThat(rules.problems(p)).isEmpty();
        OutputSettings s = OutputSettings.parse(p, w -> { }, e -> { });
        assertThat(s.name()).isEqualTo("central");
        assertThat(s.batch()).isEqualTo(1_000);
        assertThat(s.node()).as("the host name by default").isNotBlank();
        assertThat(s.target()).as("no URL parameters, which may carry a password")
                .isEqualTo("jdbc:postgresql://db.example/usblogd");
        assertThat(rules.factory()).isTrue();
        assertThat(rules.pid()).isEqualTo("org.usblogd.output");
    }

    @Test
    void eachMistakeIsOneLineNamingFileKeyValueAndWhatItTakes() {
        Map<String, Object> p = right();
        p.put("batch", "0");
        p.put("url", "http://db.example/");
        p.put("pasword", "secret");
        List<String> lines = rules.problems(p);
        assertThat(lines).containsExactly(
                FILE + ": batch = 0 is not valid: expected a whole number from 1 to 100000",
                FILE + ": url = http://db.example/ is not valid: expected jdbc:postgresql://HOST[:PORT]/DATABASE",
                FILE + ": unknown key pasword = (not shown) is ignored (the nearest known key is password)");
        assertThat(String.join("\n", lines)).doesNotContain("secret");
    }

    @Test
    void withoutANodeTheHostNameAndTheStartOfTheMachinesIdNameTheLogger(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path hostname = java.nio.file.Files.writeString(dir.resolve("hostname"), "raspberrypi\n");
        java.nio.file.Path id = java.nio.file.Files.writeString(dir.resolve("machine-id"),
                "3f2a9c1b7d6e4f5a8b9c0d1e2f3a4b5c\n");
        assertThat(OutputSettings.defaultNode(hostname, id)).isEqualTo("raspberrypi-3f2a9c1b");
        assertThat(OutputSettings.defaultNode(hostname, dir.resolve("none"))).isEqualTo("raspberrypi");
    }

    @Test
    void aWrongUrlIsShownWithoutThePasswordItMayCarry() {
        Map<String, Object> p = right();
        for (String url : List.of("postgresql://logger:s3cret@db.example/usblogd",
                "jdbc:postgres://db.example/usblogd?user=logger&password=s3cret")) {
            p.put("url", url);
            assertThat(rules.problems(p)).singleElement().asString().contains("url = ", "db.example", "is not valid")
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void aFileWithoutTypeOrWithAnotherTypeIsRefused() {
        Map<String, Object> p = right();
        p.remove("type");
        assertThat(rules.problems(p)).containsExactly(FILE + ": type is not set: expected postgresql or mqtt");
        p.put("type", "kafka");
        assertThat(rules.problems(p)).contains(FILE + ": type = kafka is not valid: expected one of postgresql, mqtt");
        assertThatThrownBy(() -> OutputSettings.parse(p, w -> { }, e -> { })).hasMessageContaining(FILE
                + ": type = kafka is not valid");
    }

    @Test
    void anMqttFileTakesMqttAndMqttsUrlsWithTheirDefaultPorts() {
        Map<String, Object> p = mqtt("mqtt://broker.lan");
        assertThat(rules.problems(p)).isEmpty();
        OutputSettings s = OutputSettings.parse(p, w -> { }, e -> { });
        assertThat(s.isMqtt()).isTrue();
        assertThat(s.mqtt()).isEqualTo(new OutputSettings.Mqtt("usblogd", "", 1, false, "homeassistant"));
        assertThat(MqttAddress.parse(s.url()).pahoUri()).isEqualTo("tcp://broker.lan:1883");
        assertThat(MqttAddress.parse("mqtts://broker.lan").pahoUri()).isEqualTo("ssl://broker.lan:8883");
        assertThat(MqttAddress.parse("ssl://10.0.0.5:9883").pahoUri()).isEqualTo("ssl://10.0.0.5:9883");
        assertThat(MqttAddress.parse("tcp://[::1]:1884").pahoUri()).isEqualTo("tcp://[::1]:1884");
        p.put("homeassistant", "true");
        p.put("samples.per.message", "50");
        p.put("topic", "site/loggers");
        assertThat(OutputSettings.parse(p, w -> { }, e -> { }).mqtt())
                .isEqualTo(new OutputSettings.Mqtt("site/loggers", "", 50, true, "homeassistant"));
    }

    @Test
    void anMqttFilesMistakesAreOneLineEach() {
        assertThat(rules.problems(mqtt("http://broker.lan"))).containsExactly(FILE + ": url = http://broker.lan is"
                + " not valid: expected mqtt://HOST[:PORT] or, with TLS, mqtts://HOST[:PORT]");
        assertThat(rules.problems(mqtt("mqtt://user:secret@broker.lan"))).singleElement().asString()
                .contains("is not valid").doesNotContain("secret");
        Map<String, Object> p = mqtt("mqtt://broker.lan");
        p.put("ca", "/etc/ssl/broker-ca.pem");
        assertThat(rules.problems(p)).containsExactly(FILE + ": ca = /etc/ssl/broker-ca.pem is set but url ="
                + " mqtt://broker.lan does not use TLS: expected an mqtts:// url, or no ca");
        p.put("url", "mqtts://broker.lan");
        assertThat(rules.problems(p)).containsExactly(FILE + ": ca = /etc/ssl/broker-ca.pem cannot be read:"
                + " expected a PEM file of the broker's CA certificate, readable by the daemon's user");
        p.remove("ca");
        p.put("topic", "usblogd/#");
        assertThat(rules.problems(p)).singleElement().asString().contains("topic = usblogd/# is not valid");
        p.put("topic", "usblogd");
        p.put("discovery.prefix", "home/#");
        assertThat(rules.problems(p)).singleElement().asString().contains("discovery.prefix = home/# is not valid");
        p.put("discovery.prefix", "homeassistant");
        p.put("homeassistant", "yes");
        assertThat(rules.problems(p)).singleElement().asString().contains("homeassistant = yes is not valid");
        p.put("homeassistant", "true");
        p.put("samples.per.message", "0");
        assertThat(rules.problems(p)).singleElement().asString().contains("samples.per.message = 0 is not valid");
    }

    private static Map<String, Object> mqtt(String url) {
        Map<String, Object> p = new HashMap<>();
        p.put("felix.fileinstall.filename", "file:" + FILE);
        p.put("type", "mqtt");
        p.put("url", url);
        return p;
    }

    private static Map<String, Object> right() {
        Map<String, Object> p = new HashMap<>();
        p.put("felix.fileinstall.filename", "file:" + FILE);
        p.put("type", "postgresql");
        p.put("url", "jdbc:postgresql://db.example/usblogd?ssl=true&password=x");
        p.put("user", "logger");
        p.put("password", "secret");
        return p;
    }
}
