package org.usblogd.testing.mosquitto;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Mosquitto broker from the Debian package: its own configuration, persistence and log in a
 * temporary directory, listening on the loopback only, on free ports. It can ask for a user and password, and
 * can serve TLS on a second port with a certificate made by {@code openssl} for 127.0.0.1 and localhost, signed
 * by a throwaway CA whose certificate {@link #caFile()} gives. Stopping and starting it again keeps its ports
 * and its persisted sessions, as a broker restarted by its administrator does.
 */
public final class MosquittoBroker implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    public final int port;
    /** The TLS port; 0 when the broker serves no TLS. */
    public final int tlsPort;
    private Process process;

    private MosquittoBroker(Path dir, int port, int tlsPort) {
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Whether the Debian package is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Anyone may connect, without TLS. */
    public static MosquittoBroker start() throws Exception {
        return start(null, null, false);
    }

    /**
     * @param user null: anonymous clients are let in; else only this user with this password
     * @param tls whether a second listener serves TLS
     */
    public static MosquittoBroker start(String user, String password, boolean tls) throws Exception {
        Path dir = Files.createTempDirectory("usblogd-mqtt");
        MosquittoBroker broker = new MosquittoBroker(dir, freePort(), tls ? freePort() : 0);
        List<String> conf = new ArrayList<>(List.of(
                // as root the broker would drop to the package's user, which cannot read this directory
                "user " + System.getProperty("user.name"),
                "persistence true",
                "persistence_location " + dir + "/",
                "log_dest file " + dir.resolve("log"),
                "log_type error", "log_type warning", "log_type notice", "log_type information",
                "connection_messages true",
                "max_queued_messages 0",
                "listener " + broker.port + " 127.0.0.1"));
        if (user == null) {
            conf.add("allow_anonymous true");
        } else {
            run(List.of("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), user, password));
            conf.addAll(List.of("allow_anonymous false", "password_file " + dir.resolve("passwd")));
        }
        if (tls) {
            broker.certificates();
            conf.addAll(List.of("listener " + broker.tlsPort + " 127.0.0.1",
                    "cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"),
                    "keyfile " + dir.resolve("server.key")));
        }
        Files.write(dir.resolve("mosquitto.conf"), conf);
        broker.startAgain();
        return broker;
    }

    /** The CA certificate (PEM) that signed the TLS listener's certificate. */
    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public String url() {
        return "mqtt://127.0.0.1:" + port;
    }

    public String tlsUrl() {
        return "mqtts://127.0.0.1:" + tlsPort;
    }

    /** What the broker logged so far. */
    public String log() throws IOException {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Starts a stopped broker again on the same ports, with the sessions it persisted at its stop. */
    public void startAgain() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepts(port) || (tlsPort != 0 && !accepts(tlsPort))) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ":\n"
                        + Files.readString(dir.resolve("stdout")) + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("mosquitto did not listen on " + port + " within 30 s:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Stops the broker as its service would (SIGTERM: it saves its sessions and closes every connection). */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void certificates() throws Exception {
        Path ext = dir.resolve("san.ext");
        Files.writeString(ext, "subjectAltName = IP:127.0.0.1, DNS:localhost\n");
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=usblogd test CA", "-keyout", dir.resolve("ca.key").toString(), "-out",
                dir.resolve("ca.crt").toString()));
        run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
                dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString()));
        run(List.of("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA",
                dir.resolve("ca.crt").toString(), "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial",
                "-days", "2", "-extfile", ext.toString(), "-out", dir.resolve("server.crt").toString()));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
