package org.usblogd.outputs.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A broker's address as an output file gives it: {@code mqtt://HOST[:PORT]} (1883) or {@code mqtts://HOST[:PORT]}
 * (8883, TLS), or Paho's own {@code tcp://} and {@code ssl://}, which users copy from other tools.
 */
record MqttAddress(String host, int port, boolean tls) {

    /** @return null when the text is no such address */
    static MqttAddress parse(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        switch (scheme) {
        case "mqtt", "tcp" -> tls = false;
        case "mqtts", "ssl" -> tls = true;
        default -> {
            return null;
        }
        }
        String host = u.getHost();
        boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
                && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
        if (host == null || host.isEmpty() || !bare) {
            return null;
        }
        int port = u.getPort() < 0 ? (tls ? 8883 : 1883) : u.getPort();
        return new MqttAddress(host, port, tls);
    }

    /** The address in the form Paho takes. */
    String pahoUri() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }
}
