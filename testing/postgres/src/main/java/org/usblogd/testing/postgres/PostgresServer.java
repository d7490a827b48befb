package org.usblogd.testing.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the Debian package's binaries: a fresh cluster in a temporary
 * directory, listening on the loopback only, on a free port. As root it runs as the package's
 * {@code postgres} user, because the server refuses root.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "usblogd";

    private final Path bin;
    private final Path data;
    private final boolean asPostgres;
    public final int port;

    private PostgresServer(Path bin, Path data, boolean asPostgres, int port) {
        this.bin = bin;
        this.data = data;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /** The newest installed server's binaries, if any. */
    public static java.util.Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return java.util.Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public static PostgresServer start(Path bin) throws Exception {
        return start(bin, null);
    }

    /**
     * A server that asks for {@code password} on its TCP connections (user {@link #USER}); null: a server that
     * lets anyone in (trust).
     */
    public static PostgresServer start(Path bin, String password) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = Files.createTempDirectory("usblogd-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin, data, root, port);
        List<String> initdb = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D",
                data.resolve("cluster").toString(), "-U", USER, "--no-sync", "-E", "UTF8"));
        if (password == null) {
            initdb.add("--auth=trust");
        } else {
            Path pwfile = data.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            initdb.addAll(List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile));
        }
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", data.toString()), false);
        }
        server.pg(initdb);
        server.startAgain();
        return server;
    }

    /** Stops the server as an administrator would (fast shutdown: open connections are ended); its data stays. */
    public void stop() throws Exception {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "fast", "-w",
                "stop"));
    }

    /** Starts a stopped server again, on the same port. */
    public void startAgain() throws Exception {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-w", "-l",
                data.resolve("log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k "
                        + data + " -c fsync=off", "start"));
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void pg(List<String> command) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, true);
    }

    private static void run(List<String> command, boolean quiet) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "fast", "-w",
                    "stop"));
        } catch (Exception e) {
            // stopped already (a test that stopped it and failed before starting it again): the files still go
        } finally {
            try (Stream<Path> s = Files.walk(data)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
