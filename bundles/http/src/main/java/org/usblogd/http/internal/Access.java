package org.usblogd.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read the API: anyone when no token is set (the server then only listens on loopback), else a
 * request with {@code Authorization: Bearer TOKEN}, or with the cookie a login with the token set. The
 * cookie holds a keyed hash of the token, not the token: it is worth nothing once the token changes, and
 * reading it out of a browser does not give the token away.
 */
final class Access {
    static final String COOKIE = "usblogd_session";
    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final String session;

    Access(String token) {
        this.token = token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        this.session = this.token == null ? null : session(this.token);
    }

    boolean open() {
        return token == null;
    }

    /** Whether an Authorization header carries the token. */
    boolean bearer(String authorization) {
        return authorization != null && authorization.startsWith(BEARER)
                && matches(authorization.substring(BEARER.length()).strip());
    }

    /** Whether a session cookie's value is the one a login with this token set. */
    boolean cookie(String value) {
        return value != null && session != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                session.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a token given to the login is the token; compared in constant time. */
    boolean matches(String given) {
        return token != null && given != null
                && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), token);
    }

    /** The value of the session cookie a login with this token sets. */
    String session() {
        return session;
    }

    private static String session(byte[] token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("usblogd session".getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}
