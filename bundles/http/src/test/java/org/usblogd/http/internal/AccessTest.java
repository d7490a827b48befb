package org.usblogd.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who may read the API. */
class AccessTest {

    @Test
    void withoutATokenEveryRequestIsLetIn() {
        assertThat(new Access("").open()).isTrue();
        assertThat(new Access("  ").open()).isTrue();
    }

    @Test
    void withoutATokenOnlyRequestsOnLoopbackThatNameThisMachineLocallyAreLetIn() {
        Access a = new Access("");
        assertThat(a.local("127.0.0.1", "127.0.0.1:8765")).isTrue();
        assertThat(a.local("127.0.0.1", "localhost")).isTrue();
        assertThat(a.local("127.0.0.1", "LocalHost:8765")).isTrue();
        assertThat(a.local("0:0:0:0:0:0:0:1", "[::1]:8765")).isTrue();
        // a page whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name
        assertThat(a.local("127.0.0.1", "evil.example")).isFalse();
        assertThat(a.local("127.0.0.1", "evil.example:8765")).isFalse();
        assertThat(a.local("127.0.0.1", "127.0.0.1.nip.io:8765")).isFalse();
        assertThat(a.local("127.0.0.1", "localhost.evil.example")).isFalse();
        assertThat(a.local("127.0.0.1", null)).isFalse();
        // a request that did not come in on loopback
        assertThat(a.local("192.0.2.10", "localhost")).isFalse();
        // with a token, the token decides
        assertThat(new Access("s3cret").local("127.0.0.1", "localhost")).isFalse();
    }

    @Test
    void withATokenOnlyTheRightBearerHeaderIsLetIn() {
        Access a = new Access("s3cret");
        assertThat(a.open()).isFalse();
        assertThat(a.bearer("Bearer s3cret")).isTrue();
        assertThat(a.bearer("bearer s3cret")).as("the scheme's name is case-insensitive (RFC 9110)").isTrue();
        assertThat(a.bearer("BEARER  s3cret")).isTrue();
        assertThat(a.bearer("Basic s3cret")).isFalse();
        assertThat(a.bearer("Bearers3cret")).isFalse();
        assertThat(a.bearer("Bearer s3cre")).isFalse();
        assertThat(a.bearer("Bearer s3cret2")).isFalse();
        assertThat(a.bearer("Basic s3cret")).isFalse();
        assertThat(a.bearer(null)).isFalse();
    }

    @Test
    void theLoginCookieIsNotTheTokenAndIsWorthNothingOnceTheTokenChanges() {
        Access a = new Access("s3cret");
        assertThat(a.session()).doesNotContain("s3cret").hasSize(64);
        assertThat(a.cookie(a.session())).isTrue();
        assertThat(new Access("another").cookie(a.session())).isFalse();
        assertThat(a.cookie("")).isFalse();
        assertThat(a.cookie(null)).isFalse();
    }
}
