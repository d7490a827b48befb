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
    void withATokenOnlyTheRightBearerHeaderIsLetIn() {
        Access a = new Access("s3cret");
        assertThat(a.open()).isFalse();
        assertThat(a.bearer("Bearer s3cret")).isTrue();
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
