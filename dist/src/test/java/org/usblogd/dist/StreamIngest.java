package org.usblogd.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.usblogd.api.health.HealthCheck;
import org.usblogd.framework.Daemon;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * The assembled daemon in Felix (in this JVM) storing the sample stream twins (1209:0011, each reading a
 * {@code value} and a {@code seq} sample) read by the stream driver on the virtual bus. The offered rate is
 * changed while it runs by rewriting {@code conf/org.usblogd.sim.streams.cfg}, which plugs new twins; what was
 * read and stored comes from the store's own figures (its health: {@code samples}, {@code written},
 * {@code dropped}).
 */
final class StreamIngest implements AutoCloseable {
    /** Samples per reading of a stream twin: its value and its sequence number. */
    private static final int SAMPLES_PER_READING = 2;

    private final Path state;
    private final Path streamsFile;
    private final int streams;
    private final Daemon daemon;
    private final HealthCheck health;
    private boolean stopped;

    private StreamIngest(Path state, Path streamsFile, int streams, Daemon daemon, HealthCheck health) {
        this.state = state;
        this.streamsFile = streamsFile;
        this.streams = streams;
        this.daemon = daemon;
        this.health = health;
    }

    /** What the store had done by a moment on the monotonic clock. */
    record Figures(long nanos, long read, long written, long dropped) {
        /** Samples read and neither stored nor dropped yet: queued, or held in blocks not yet committed. */
        long backlog() {
            return read - written - dropped;
        }
    }

    /**
     * One offered rate held for a window after it settled, in samples/s: offered (what the twins produce by
     * their clocks), read (what the driver took from them and handed to the sink; less than offered when the
     * twins' FIFOs overflowed because their reader fell behind), stored (committed to the H2 file) and dropped
     * (by the store, its queue full).
     */
    record Step(long offered, double read, double stored, double dropped, double seconds) {
        /** Stored, but no more than was read in the window: what went beyond was a backlog from before it. */
        double sustained() {
            return Math.min(stored, read);
        }

        /** Stored within 5 % of what was offered, nothing dropped worth mentioning. */
        boolean keptUp() {
            return stored >= 0.95 * offered && dropped <= 0.01 * offered;
        }

        /** The twins and their driver delivered less than offered while the store dropped (almost) nothing. */
        boolean sourceLimited() {
            return read < 0.95 * offered && dropped <= 0.01 * read;
        }
    }

    /** A private installation under {@code dir} with the stream driver and twins, running {@code offered}. */
    static StreamIngest start(Path dir, int streams, long offered) throws Exception {
        Path home = dir.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.copy(PluginJars.counterDriver(), home.resolve("plugins/counter-driver.jar"));
        Path streamsFile = home.resolve("conf/org.usblogd.sim.streams.cfg");
        Files.writeString(streamsFile, config(streams, offered));
        Path state = dir.resolve("state");
        Daemon daemon = new Daemon(home, state, false);
        BundleContext context = daemon.start().getBundleContext();
        StreamIngest ingest;
        try {
            ingest = new StreamIngest(state, streamsFile, streams, daemon, health(context));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ingest.figures().written() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing stored within 60 s of the daemon's start; its log is in "
                            + state);
                }
                Thread.sleep(100);
            }
        } catch (Exception | Error e) {
            daemon.stop();
            throw e;
        }
        return ingest;
    }

    private static String config(int streams, long offered) {
        long perTwin = Math.max(1, offered / SAMPLES_PER_READING / streams); // readings/s of each twin
        return "count = " + streams + "\nrate = " + perTwin + "\n";
    }

    /**
     * Offers {@code offered} samples/s (new twins, plugged once FileInstall saw the file), waits
     * {@code settleSeconds} for the driver, the queue and the JIT, then measures {@code windowSeconds}.
     */
    Step offer(long offered, int settleSeconds, int windowSeconds) throws Exception {
        Files.writeString(streamsFile, config(streams, offered));
        Thread.sleep(settleSeconds * 1_000L);
        // What a higher rate before left queued or held drains first (up to a minute), or the window would count
        // it as stored at this rate: wait while it shrinks by a tenth a second and is more than half a second's.
        long before = figures().backlog();
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline;) {
            Thread.sleep(1_000);
            long backlog = figures().backlog();
            if (backlog <= offered / 2 || backlog > 0.9 * before) {
                break;
            }
            before = backlog;
        }
        Figures first = figures();
        Thread.sleep(windowSeconds * 1_000L);
        Figures last = figures();
        double s = (last.nanos() - first.nanos()) / 1e9;
        return new Step(offered, (last.read() - first.read()) / s, (last.written() - first.written()) / s,
                (last.dropped() - first.dropped()) / s, s);
    }

    Figures figures() {
        Map<String, Object> f = health.health().figures();
        return new Figures(System.nanoTime(), figure(f, "samples"), figure(f, "written"), figure(f, "dropped"));
    }

    private static long figure(Map<String, Object> figures, String name) {
        Object v = figures.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("the store's health has no figure '" + name + "': " + figures);
        }
        return n.longValue();
    }

    /** The running daemon's database through its server, as the reading commands reach it. */
    JdbcDataSource database() throws Exception {
        return ServerDatabase.of(state, 30);
    }

    /**
     * After {@link #close()}: the samples in the file, its encoded bytes, and the file's bytes after H2
     * compacted it offline.
     */
    long[] stored() throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        long onDisk = StoreBenchmark.size(location.directory());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COALESCE(SUM(n), 0), COALESCE(SUM(LENGTH(data)), 0) FROM sample_block")) {
            rs.next();
            long n = rs.getLong(1);
            long encoded = rs.getLong(2);
            s.execute("SHUTDOWN COMPACT");
            return new long[] { n, encoded, onDisk, StoreBenchmark.size(location.directory()) };
        }
    }

    private static HealthCheck health(BundleContext context) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            // "All": the store is also a SampleRecorder, of which the launcher's class path has a copy of its own
            ServiceReference<?>[] refs = context.getAllServiceReferences(HealthCheck.class.getName(),
                    "(" + HealthCheck.PART + "=store-writer)");
            if (refs != null) {
                return (HealthCheck) context.getService(refs[0]);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no store health service within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Stops the daemon: the store writes what it holds and closes the file. */
    @Override
    public void close() throws Exception {
        if (!stopped) {
            stopped = true;
            daemon.stop();
        }
    }
}
