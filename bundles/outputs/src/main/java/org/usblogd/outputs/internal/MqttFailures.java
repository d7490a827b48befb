package org.usblogd.outputs.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLException;

import org.eclipse.paho.client.mqttv3.MqttException;

/** An MQTT broker's failures, told by Paho's reason codes and their causes. */
final class MqttFailures implements PeerFailures {
    private final OutputSettings settings;
    private final boolean tls;

    MqttFailures(OutputSettings settings) {
        this.settings = settings;
        this.tls = MqttAddress.parse(settings.url()).tls();
    }

    @Override
    public String kind(Throwable e) {
        int code = code(e);
        if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
            return "refused user";
        }
        if (PeerFailures.cause(e, UnknownHostException.class)) {
            return "unknown host";
        }
        if (PeerFailures.cause(e, SSLException.class) || PeerFailures.cause(e, GeneralSecurityException.class)
                || PeerFailures.cause(e, java.io.FileNotFoundException.class)
                || PeerFailures.cause(e, java.nio.file.FileSystemException.class) || tlsRefused(e)) {
            return "tls";
        }
        if (unreachable(e)) {
            return "unreachable";
        }
        return code == 0 ? e.getClass().getName() : "mqtt " + code;
    }

    /** A TLS connection ended by the broker before it answered: the port does not speak TLS. */
    private boolean tlsRefused(Throwable e) {
        return tls && e instanceof MqttPeer.ConnectFailed
                && !PeerFailures.cause(e, ConnectException.class)
                && (PeerFailures.cause(e, java.net.SocketException.class)
                        || PeerFailures.cause(e, java.io.EOFException.class));
    }

    @Override
    public boolean unreachable(Throwable e) {
        int code = code(e);
        return PeerFailures.cause(e, ConnectException.class) || PeerFailures.cause(e, NoRouteToHostException.class)
                || PeerFailures.cause(e, SocketTimeoutException.class)
                || code == MqttException.REASON_CODE_SERVER_CONNECT_ERROR
                || code == MqttException.REASON_CODE_CONNECTION_LOST || code == MqttException.REASON_CODE_CLIENT_TIMEOUT
                || code == MqttException.REASON_CODE_BROKER_UNAVAILABLE
                || code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_WRITE_TIMEOUT;
    }

    @Override
    public String line(Throwable e) {
        String broker = "the MQTT broker at " + settings.target();
        switch (kind(e)) {
        case "refused user":
            return broker + " refuses " + (settings.user().isEmpty() ? "clients without a user name"
                    : "user '" + settings.user() + "'") + ": " + message(e) + "; check user and password in "
                    + settings.file();
        case "unknown host":
            return "cannot reach " + broker + ": no host is known by that name (" + message(e) + "); check the"
                    + " host in url in " + settings.file();
        case "tls":
            return "TLS with " + broker + " failed: " + message(e) + "; check that the broker serves TLS on that"
                    + " port (else use mqtt://) and that " + (settings.mqtt().ca().isEmpty()
                            ? "its certificate is signed by a CA Java trusts, or name its CA's PEM file with ca ="
                            : "ca = " + settings.mqtt().ca() + " is the CA that signed its certificate")
                    + " in " + settings.file();
        case "unreachable":
            return "cannot reach " + broker + ": " + message(e) + "; check that it runs and that this host may"
                    + " connect (url in " + settings.file() + ")";
        default:
            return "forwarding to " + broker + " failed: " + message(e);
        }
    }

    private static int code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MqttException m) {
                return m.getReasonCode();
            }
        }
        return 0;
    }

    /** Paho's own words and, where there is one, the cause's: "Unable to connect to server (Connection refused)". */
    static String message(Throwable e) {
        String m = FailureLog.message(e);
        if (m.equals("MqttException") || m.equals(MqttPeer.ConnectFailed.class.getSimpleName())) {
            m = ""; // Paho's name for a failure it only passes on: the cause says it all
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            String cause = FailureLog.message(root);
            if (m.isEmpty()) {
                m = cause;
            } else if (!m.contains(cause)) {
                m = m + " (" + cause + ")";
            }
        }
        return m;
    }
}
