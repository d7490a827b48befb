package org.usblogd.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

import org.usblogd.api.config.ConfigCheck;

/**
 * Where the HTTP server may listen, decided from the checked configuration before anything listens: an
 * address beyond this machine's loopback only with a token, since the API shows every device's data to
 * whoever can reach the port.
 *
 * @param address the address to bind, or null when the server must not listen
 * @param refusal why it must not listen, as one log line naming the file and what to set; null when it may
 */
record ListenPlan(String address, int port, String refusal) {
    private static final String OFF = "the HTTP API is off";
    /** 16 characters of hex are 64 bits: not guessed over a network, and what 'openssl rand -hex 8' prints. */
    static final int SHORTEST_TOKEN = 16;

    static ListenPlan of(HttpConfig config, Map<String, ?> properties) {
        String file = ConfigCheck.file(properties);
        String address = config.address().strip();
        if (!config.enabled()) {
            return new ListenPlan(null, config.port(), OFF + " (" + file + ": enabled = false)");
        }
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return new ListenPlan(null, config.port(), file + ": address = " + address + " is not an address of this"
                    + " machine (" + e.getMessage() + "); the HTTP API does not start: set address to 127.0.0.1 or"
                    + " to one of this machine's addresses");
        }
        String token = config.token().strip();
        if (!token.isEmpty() && token.length() < SHORTEST_TOKEN) {
            return new ListenPlan(null, config.port(), file + ": the token is " + token.length() + " characters,"
                    + " too short to keep anyone out; the HTTP API does not start: set token = at least "
                    + SHORTEST_TOKEN + " random characters (e.g. from 'openssl rand -hex 16') in " + file);
        }
        if (!resolved.isLoopbackAddress() && token.isEmpty()) {
            return new ListenPlan(null, config.port(), file + ": address = " + address + " reaches beyond this"
                    + " machine and no token is set; the HTTP API does not start: set token = (a long random"
                    + " secret, e.g. from 'openssl rand -hex 16') in " + file + ", or address = 127.0.0.1");
        }
        return new ListenPlan(resolved.getHostAddress(), config.port(), null);
    }

    boolean listens() {
        return address != null;
    }

    /** The refusal as {@code usblogd check} lists it; empty when the server may listen or is off on purpose. */
    Optional<String> problem() {
        return address == null && refusal != null && !refusal.startsWith(OFF) ? Optional.of(refusal)
                : Optional.empty();
    }
}
