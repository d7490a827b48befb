package org.usblogd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.jdbcx.JdbcDataSource;

/**
 * The assembled daemon as a process for the benchmarks: {@code usblogd run} on a state directory, its log in a
 * file, the API's address from the line that says where it listens, its memory from /proc.
 */
final class BenchDaemon implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("HTTP API at (http://[0-9.]+:[0-9]+/api/v1)/");

    private final Process process;
    private final Path log;
    private final Path state;
    final long startedNanos = System.nanoTime();

    private BenchDaemon(Process process, Path log, Path state) {
        this.process = process;
        this.log = log;
        this.state = state;
    }

    /**
     * A fresh copy of the installation under {@code home} (its conf/ as shipped, but the HTTP file given), then
     * {@code usblogd run --state STATE options...}.
     */
    static BenchDaemon start(Path home, String httpConfig, Path state, String... options) throws IOException {
        return start(home, httpConfig, state, List.of(options), "");
    }

    /** The same, the JVM given {@code javaOptions} (USBLOGD_JAVA_OPTS, as bin/usblogd takes them). */
    static BenchDaemon start(Path home, String httpConfig, Path state, List<String> options, String javaOptions)
            throws IOException {
        if (!Files.exists(home.resolve("bin/usblogd"))) {
            PluginJars.copyOfPackage(home);
        }
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), httpConfig);
        Path log = state.resolveSibling(state.getFileName() + ".log");
        Files.createDirectories(state);
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/usblogd").toString(), "run", "--state",
                state.toString()));
        cmd.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        pb.environment().put("USBLOGD_JAVA_OPTS", javaOptions);
        return new BenchDaemon(pb.start(), log, state);
    }

    long pid() {
        return process.pid();
    }

    /** The API's base, e.g. http://127.0.0.1:41234/api/v1, once the log says it listens. */
    String api() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + process.exitValue() + "; its log: " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no line 'HTTP API at' within 90 s in " + log);
    }

    /** Waits for the line the daemon logs once it has started. */
    void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!Files.readString(log).contains("usblogd started")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon did not start; its log: " + log);
            }
            Thread.sleep(100);
        }
    }

    /** The running daemon's database through its server, as the reading commands reach it. */
    JdbcDataSource database() throws IOException, InterruptedException {
        return ServerDatabase.of(state, 60);
    }

    /** VmRSS and VmHWM of the process in kB. */
    long[] memoryKb() throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] { rss, hwm };
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the daemon writes its queue and closes the database
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
