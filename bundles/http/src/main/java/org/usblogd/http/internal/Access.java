package org.usblogd.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read the API: when no token is set (the server then only listens on loopback), any request that
 * came in on a loopback address and names this machine by a local name in its Host header, so that a web
 * page whose own name was pointed at 127.0.0.1 (DNS rebinding) cannot read it from a browser; else a request
 * with {@code Authorization: Bearer TOKEN}, or with the cookie a login with the token set. The
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

    /**
     * Whether a request may go on without a token: none is set, it came in on a loopback address, and its Host
     * header is {@code localhost}, {@code 127.0.0.1} or {@code [::1]} (any port).
     */
    boolean local(String localAddress, String host) {
        return open() && loopback(localAddress) && host != null && LOCAL_NAMES.contains(hostName(host));
    }

    private static final java.util.Set<String> LOCAL_NAMES = java.util.Set.of("localhost", "127.0.0.1", "[::1]");

    /** The name in a Host header, without its port, in lower case. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean loopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        // an address literal, never a name: nothing is looked up
        return a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.startsWith("127.");
    }

    /** Whether an Authorization header carries the token. */
    boolean bearer(String authorization) {
        // the scheme's name is case-insensitive (RFC 9110, 11.1): some clients send "bearer"
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
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
