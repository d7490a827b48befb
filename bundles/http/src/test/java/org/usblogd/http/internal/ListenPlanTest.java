package org.usblogd.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where the HTTP API may listen, decided before anything listens. */
class ListenPlanTest {
    private static final String FILE = "file:/etc/usblogd/org.usblogd.http.cfg";

    private static ListenPlan plan(String... keyValues) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("felix.fileinstall.filename", FILE));
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return ListenPlan.of(HttpConfigRules.CHECK.check(p).config(), p);
    }

    @Test
    void byDefaultItListensOnLoopbackOnItsDocumentedPortWithoutAToken() {
        ListenPlan p = plan();
        assertThat(p.listens()).isTrue();
        assertThat(p.address()).isEqualTo("127.0.0.1");
        assertThat(p.port()).isEqualTo(8765).isEqualTo(HttpConfig.DEFAULT_PORT);
    }

    @Test
    void anAddressBeyondThisMachineWithoutATokenDoesNotListenAndSaysWhatToSetInWhichFile() {
        for (String everywhere : new String[] { "0.0.0.0", "::", "192.0.2.7" }) {
            ListenPlan p = plan("address", everywhere);
            assertThat(p.listens()).as(everywhere).isFalse();
            assertThat(p.refusal()).as(everywhere).contains("/etc/usblogd/org.usblogd.http.cfg", "address = " + everywhere,
                    "no token is set", "set token = ").doesNotContain("\n");
            assertThat(p.problem()).as("usblogd check lists it").isPresent();
        }
    }

    @Test
    void anAddressBeyondThisMachineWithATokenListensThere() {
        ListenPlan p = plan("address", "0.0.0.0", "token", "0123456789abcdef");
        assertThat(p.listens()).isTrue();
        assertThat(p.address()).isEqualTo("0.0.0.0");
    }

    @Test
    void aTokenShorterThanSixteenCharactersIsRefusedWhereverItWouldListen() {
        for (String address : new String[] { "0.0.0.0", "127.0.0.1" }) {
            ListenPlan p = plan("address", address, "token", "s3cret");
            assertThat(p.listens()).as(address).isFalse();
            assertThat(p.refusal()).contains("/etc/usblogd/org.usblogd.http.cfg", "token", "6 characters", "16",
                    "openssl rand -hex 16").doesNotContain("s3cret");
            assertThat(p.problem()).isPresent();
        }
    }

    @Test
    void loopbackByNameOrIpv6IsThisMachineOnly() {
        assertThat(plan("address", "localhost").listens()).isTrue();
        assertThat(plan("address", "::1").listens()).isTrue();
    }

    @Test
    void enabledFalseTurnsTheApiOffWithoutAProblem() {
        ListenPlan p = plan("enabled", "false");
        assertThat(p.listens()).isFalse();
        assertThat(p.problem()).isEmpty();
    }

    @Test
    void aPortOutOfRangeIsAProblemOfTheFileAndTheDefaultStandsIn() {
        Map<String, Object> p = Map.of("felix.fileinstall.filename", FILE, "port", "70000");
        assertThat(new HttpConfigRules().problems(p)).singleElement().asString()
                .contains("port = 70000 is not valid: expected a whole number from 0 to 65535");
        assertThat(HttpConfigRules.CHECK.check(p).config().port()).isEqualTo(8765);
    }

    @Test
    void checkListsTheRefusalOfAnOpenAddressWithoutToken() {
        assertThat(new HttpConfigRules().problems(Map.of("felix.fileinstall.filename", FILE, "address", "0.0.0.0")))
                .singleElement().asString().contains("no token is set");
        assertThat(new HttpConfigRules().problems(Map.of("felix.fileinstall.filename", FILE))).isEmpty();
    }
}
