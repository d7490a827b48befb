package org.usblogd.framework.systemd;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3): state lines sent as datagrams to $NOTIFY_SOCKET (a path, or "@name" in the abstract
 * namespace). Without NOTIFY_SOCKET (not started by systemd with Type=notify) every call does nothing.
 */
public final class SystemdNotifier {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String socket;
    private final long watchdogMicros;
    private volatile boolean failed;

    public SystemdNotifier(Map<String, String> env) {
        this.socket = env.get("NOTIFY_SOCKET");
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        boolean forUs = pid == null || pid.equals(Long.toString(ProcessHandle.current().pid()));
        long micros = 0;
        try {
            micros = usec != null && forUs ? Long.parseLong(usec.strip()) : 0;
        } catch (NumberFormatException e) {
            log.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
        }
        this.watchdogMicros = micros;
    }

    public boolean enabled() {
        return socket != null && !socket.isBlank();
    }

    /** The watchdog interval systemd asked for (WatchdogSec), in ms; 0 without one. */
    public long watchdogMillis() {
        return watchdogMicros / 1000;
    }

    public void send(String state) {
        if (!enabled()) {
            return;
        }
        try (AFUNIXDatagramSocket s = AFUNIXDatagramSocket.newInstance()) {
            s.connect(socket.startsWith("@") ? AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1))
                    : AFUNIXSocketAddress.of(new File(socket)));
            byte[] b = state.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(b, b.length));
            failed = false;
        } catch (IOException | RuntimeException e) {
            if (!failed) {
                log.error("cannot notify systemd at {}: {}", socket, e.toString());
            }
            failed = true;
        }
    }
}
