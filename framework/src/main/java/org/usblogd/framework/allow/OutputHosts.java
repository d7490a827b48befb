package org.usblogd.framework.allow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts an output's {@code url} connects to, read here rather than by the outputs bundle's own parser: this
 * runs as root outside the daemon, from the launcher, which has no bundle on its class path.
 */
public final class OutputHosts {
    /** What a url must look like, for the line that refuses one. */
    public static final String EXPECTED = "jdbc:postgresql://HOST[:PORT][,HOST[:PORT]...]/DATABASE,"
            + " mqtt://HOST[:PORT], mqtts://HOST[:PORT], tcp://HOST:PORT or ssl://HOST:PORT";

    private static final String POSTGRESQL = "jdbc:postgresql://";
    private static final List<String> MQTT = List.of("mqtt://", "mqtts://", "tcp://", "ssl://");

    private OutputHosts() {
    }

    /**
     * The url's hosts in their order: names as written, IPv6 literals without their brackets; {@code localhost}
     * for a PostgreSQL url without a host, as pgjdbc connects there.
     *
     * @throws IllegalArgumentException what is wrong with the url, without its secrets
     */
    public static List<String> of(String url) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRESQL)) {
            String authority = authority(u.substring(POSTGRESQL.length()));
            List<String> hosts = new ArrayList<>();
            for (String hostPort : authority.split(",", -1)) {
                String host = host(hostPort, url);
                hosts.add(host.isEmpty() && authority.isEmpty() ? "localhost" : nonEmpty(host, url));
            }
            return List.copyOf(hosts);
        }
        for (String scheme : MQTT) {
            if (lower.startsWith(scheme)) {
                String authority = authority(u.substring(scheme.length()));
                if (authority.contains(",")) {
                    throw invalid(url);
                }
                return List.of(nonEmpty(host(authority, url), url));
            }
        }
        throw invalid(url);
    }

    /** HOST[:PORT] parts, without a path, parameters or user part ({@code user:secret@}). */
    private static String authority(String rest) {
        int end = rest.length();
        for (char c : new char[] { '/', '?', '#' }) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String a = rest.substring(0, end);
        return a.substring(a.lastIndexOf('@') + 1);
    }

    private static String host(String hostPort, String url) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(url);
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(url);
            }
            port = after.isEmpty() ? "" : after.substring(1);
            if (!host.contains(":")) {
                throw invalid(url);
            }
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
            if (colon >= 0 && port.isEmpty()) {
                throw invalid(url);
            }
        }
        if (!port.isEmpty() && (!port.chars().allMatch(Character::isDigit) || port.length() > 5
                || Integer.parseInt(port) > 65535)) {
            throw invalid(url);
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '%' && !hostPort.startsWith("["))) {
            throw invalid(url);
        }
        return host;
    }

    private static String nonEmpty(String host, String url) {
        if (host.isEmpty()) {
            throw invalid(url);
        }
        return host;
    }

    private static IllegalArgumentException invalid(String url) {
        return new IllegalArgumentException("url = " + withoutSecrets(url.strip()) + " is not valid: expected "
                + EXPECTED);
    }

    /** A url as a line may show it: without its user part ({@code user:secret@}) and parameters ({@code ?pw=}). */
    public static String withoutSecrets(String url) {
        String u = url;
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q) + "?...";
        }
        int scheme = u.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int slash = u.indexOf('/', from);
        int at = u.lastIndexOf('@', slash < 0 ? u.length() : slash);
        if (at >= from) {
            u = u.substring(0, from) + "..." + u.substring(at);
        }
        return u;
    }
}
