package org.usblogd.framework.allow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which addresses each output file's url makes the daemon need, as IPAddressAllow= entries. */
class OutputAddressesTest {
    @TempDir
    Path conf;
    @TempDir
    Path etc;

    /** The names this test's name service knows; every lookup is recorded. */
    private final Map<String, List<String>> zone = Map.of(
            "db.example.org", List.of("192.0.2.20", "2001:db8:0:0:0:0:0:20"),
            "db2.example.org", List.of("192.0.2.21"),
            "broker.example.org", List.of("198.51.100.7"),
            "localhost", List.of("127.0.0.1", "::1"));
    private final List<String> looked = new ArrayList<>();

    private InetAddress[] resolve(String host) throws UnknownHostException {
        looked.add(host);
        List<String> a = zone.get(host);
        if (a == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        List<InetAddress> found = new ArrayList<>();
        for (String literal : a) {
            found.add(InetAddress.getByName(literal));
        }
        return found.toArray(InetAddress[]::new);
    }

    private void output(String name, String... lines) throws IOException {
        Files.writeString(conf.resolve("org.usblogd.output-" + name + ".cfg"), String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }

    private OutputAddresses.Result compute() throws IOException {
        return new OutputAddresses(this::resolve, etc.resolve("resolv.conf")).compute(conf);
    }

    private String file(String name) {
        return conf.resolve("org.usblogd.output-" + name + ".cfg").toString();
    }

    @Test
    void withoutOutputFilesOnlyLocalhostIsAllowedAndNothingIsLookedUp() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.store.cfg"), "url = jdbc:postgresql://db.example.org/store\n");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 192.0.2.53\n");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost");
        assertThat(r.said()).isEmpty();
        assertThat(r.problems()).isEmpty();
        assertThat(looked).isEmpty();
    }

    @Test
    void ipLiteralsAreAllowedAsWrittenWithoutALookupOrNameServers() throws Exception {
        output("a", "type = postgresql", "url = jdbc:postgresql://192.0.2.10:5432/loggers?sslmode=require");
        output("b", "type = mqtt", "url = mqtt://[2001:db8::0:7]:1883");
        output("c", "type = mqtt", "url = ssl://[2001:DB8::8]:8883");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 192.0.2.53\n");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost", "192.0.2.10", "2001:db8::7", "2001:db8::8");
        assertThat(r.said()).containsExactly("output a (" + file("a") + "): 192.0.2.10 -> 192.0.2.10",
                "output b (" + file("b") + "): 2001:db8::0:7 -> 2001:db8::7",
                "output c (" + file("c") + "): 2001:DB8::8 -> 2001:db8::8");
        assertThat(r.problems()).isEmpty();
        assertThat(looked).isEmpty();
    }

    @Test
    void everyAddressOfEveryPgjdbcHostIsAllowedAndTheNameServersWithThem() throws Exception {
        output("central", "type = postgresql",
                "url = jdbc:postgresql://db.example.org:5432,db2.example.org,[2001:db8::30]:5433/loggers"
                        + "?targetServerType=primary&password=secret");
        Files.writeString(etc.resolve("resolv.conf"), """
                # written by dhclient; nameserver 203.0.113.1 is a comment
                search example.org
                nameserver 192.0.2.53   # the router
                ;nameserver 203.0.113.2
                nameserver fe80::1%eth0
                nameserver 127.0.0.53
                options edns0
                """);

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost", "192.0.2.20", "2001:db8::20", "192.0.2.21",
                "2001:db8::30", "192.0.2.53", "fe80::1");
        assertThat(r.said()).containsExactly(
                "output central (" + file("central") + "): db.example.org -> 192.0.2.20 2001:db8::20;"
                        + " db2.example.org -> 192.0.2.21; 2001:db8::30 -> 2001:db8::30",
                "name servers (" + etc.resolve("resolv.conf") + "): 192.0.2.53 fe80::1 localhost");
        assertThat(r.problems()).isEmpty();
        assertThat(String.join("\n", r.said())).doesNotContain("secret");
    }

    @Test
    void mqttUrlsOfEachSchemeWithAndWithoutPortsGiveTheirHost() throws Exception {
        for (String url : List.of("mqtt://broker.example.org", "mqtt://broker.example.org:1884",
                "mqtts://broker.example.org",
                "mqtts://user:secret@broker.example.org:8884/", "tcp://broker.example.org:1883",
                "SSL://broker.example.org:8883")) {
            assertThat(OutputHosts.of(url)).as(url).containsExactly("broker.example.org");
        }
        output("broker", "type = mqtt", "url = mqtts://broker.example.org");

        assertThat(compute().allow()).containsExactly("localhost", "198.51.100.7");
    }

    @Test
    void localhostAndLoopbackAddressesAreTheUnitsOwnLocalhost() throws Exception {
        output("local", "type = postgresql", "url = jdbc:postgresql://localhost/loggers");
        output("loop", "type = mqtt", "url = tcp://127.0.0.1:1883");
        output("socketless", "type = postgresql", "url = jdbc:postgresql:///loggers");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost");
        assertThat(r.said()).containsExactly("output local (" + file("local") + "): localhost -> localhost",
                "output loop (" + file("loop") + "): 127.0.0.1 -> localhost",
                "output socketless (" + file("socketless") + "): localhost -> localhost");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveIsOneLineAndTheRestIsStillAllowed() throws Exception {
        output("central", "type = postgresql", "url = jdbc:postgresql://db.example.org/loggers");
        output("lab", "type = mqtt", "url = mqtt://brokr.example.org");
        output("pair", "type = postgresql", "url = jdbc:postgresql://db2.example.org,gone.example.org/loggers");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost", "192.0.2.20", "2001:db8::20", "192.0.2.21");
        assertThat(r.problems()).containsExactly(
                "output lab (" + file("lab") + "): host brokr.example.org does not resolve (brokr.example.org: Name"
                        + " or service not known): not allowed; correct url in that file or make the name resolve"
                        + " here (the service tries again when a file there changes and every hour)",
                "output pair (" + file("pair") + "): host gone.example.org does not resolve (gone.example.org: Name"
                        + " or service not known): not allowed; correct url in that file or make the name resolve"
                        + " here (the service tries again when a file there changes and every hour)");
        assertThat(r.said()).containsExactly(
                "output central (" + file("central") + "): db.example.org -> 192.0.2.20 2001:db8::20",
                "output pair (" + file("pair") + "): db2.example.org -> 192.0.2.21");
    }

    @Test
    void aUrlItCannotReadIsOneLineWithoutItsSecretsAndTheRestIsStillAllowed() throws Exception {
        output("central", "type = postgresql", "url = jdbc:postgresql://192.0.2.10/loggers");
        output("typo", "type = postgresql", "url = postgresql://logger:secret@db.example.org/loggers?password=secret");
        output("port", "type = mqtt", "url = mqtt://broker.example.org:port");
        output("none", "type = mqtt");
        output("octet", "type = mqtt", "url = tcp://192.0.2.300:1883");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost", "192.0.2.10");
        assertThat(r.problems()).containsExactly(
                "output none (" + file("none") + "): url is not set: nothing allowed for it; set url in that file",
                "output octet (" + file("octet") + "): host 192.0.2.300 is not an IP address (192.0.2.300: a part"
                        + " is over 255): not allowed; correct url in that file",
                "output port (" + file("port") + "): url = mqtt://broker.example.org:port is not valid: expected "
                        + OutputHosts.EXPECTED + ": nothing allowed for it; correct url in that file",
                "output typo (" + file("typo") + "): url = postgresql://...@db.example.org/loggers?... is not valid:"
                        + " expected " + OutputHosts.EXPECTED + ": nothing allowed for it; correct url in that file");
        assertThat(looked).isEmpty();
    }

    @Test
    void urlsThatAreNotHostListsAreRefused() {
        for (String url : List.of("jdbc:postgresql://,db/x", "jdbc:postgresql://db:/x", "jdbc:postgresql://[::1/x",
                "jdbc:postgresql://[db]/x", "mqtt://", "mqtt://a,b", "mqtt://:1883", "mqtt://host:99999",
                "jdbc:mysql://db/x", "http://broker")) {
            assertThatThrownBy(() -> OutputHosts.of(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is not valid: expected " + OutputHosts.EXPECTED);
        }
    }

    @Test
    void withoutResolvConfANameIsStillAllowedAndNoNameServerIsAdded() throws Exception {
        output("central", "type = postgresql", "url = jdbc:postgresql://db2.example.org/loggers");

        OutputAddresses.Result r = compute();

        assertThat(r.allow()).containsExactly("localhost", "192.0.2.21");
        assertThat(r.problems()).isEmpty();
    }
}
