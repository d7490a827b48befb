package org.usblogd.dist;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * A state directory holding one channel-month at 10 samples/s (a temperature with ±1 ms of host-clock jitter,
 * 25,920,000 samples) in the store's blocks, made once and kept under target/ for later runs: the key is the
 * schema version, so a new schema makes a new one. Its minute and hour summaries are built by the daemon's own
 * maintenance on the first run ({@link #awaitSummaries}), which is timed and remembered.
 */
final class ChannelMonth {
    static final String DEVICE = "413d:2107@1-2";
    static final String CHANNEL = TemperatureBlocks.CHANNEL;
    static final int PER_SECOND = 10;
    static final long DAYS = 30;
    private static final long SECOND = 1_000_000L;

    final Path state;
    private final Path facts;
    /** The month: [start, end) in microseconds, end a whole hour. */
    final long start;
    final long end;
    final long samples;
    /** Whether this run wrote the month (else it was kept from an earlier run). */
    final boolean written;
    private final Properties known = new Properties();

    private ChannelMonth(Path dir, boolean written) throws IOException {
        this.written = written;
        this.state = dir.resolve("state");
        this.facts = dir.resolve("month.properties");
        try (Reader r = Files.newBufferedReader(facts)) {
            known.load(r);
        }
        this.start = Long.parseLong(known.getProperty("start"));
        this.end = Long.parseLong(known.getProperty("end"));
        this.samples = Long.parseLong(known.getProperty("samples"));
    }

    /** The cached month under {@code cache}, made first when there is none (or a broken one) for this schema. */
    static ChannelMonth prepared(Path cache) throws Exception {
        Path dir = cache.resolve("month-schema" + Schema.VERSION);
        boolean write = !Files.exists(dir.resolve("month.properties"));
        if (write) {
            delete(dir);
            long startNanos = System.nanoTime();
            Properties p = write(dir.resolve("state"));
            p.setProperty("writeSeconds", String.format("%.1f", (System.nanoTime() - startNanos) / 1e9));
            try (Writer w = Files.newBufferedWriter(dir.resolve("month.properties"))) {
                p.store(w, "bench/http: the channel-month in state/");
            }
        }
        return new ChannelMonth(dir, write);
    }

    String fact(String key) {
        return known.getProperty(key);
    }

    /** The seconds the daemon took to summarise the month, or null if it has not yet. */
    String summarisedSeconds() {
        return known.getProperty("summariseSeconds");
    }

    /**
     * Waits until the running daemon's maintenance has summarised the whole month into minutes and hours, and
     * remembers how long that took from the daemon's start.
     */
    void awaitSummaries(long daemonStartNanos) throws Exception {
        if (summarisedSeconds() != null) {
            return;
        }
        long deadline = System.nanoTime() + 1_800_000_000_000L;
        while (!new Samples(state).summarised(CHANNEL, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon did not summarise the month within 30 minutes");
            }
            Thread.sleep(200);
        }
        known.setProperty("summariseSeconds", String.format("%.1f", (System.nanoTime() - daemonStartNanos) / 1e9));
        try (Writer w = Files.newBufferedWriter(facts)) {
            known.store(w, "bench/http: the channel-month in state/");
        }
    }

    /**
     * The month into a new H2 file with the store's schema, password and URL, as its writer stores samples:
     * sealed blocks of 4096 samples encoded by its codec. The month ends at the last whole hour before now.
     */
    private static Properties write(Path state) throws IOException, SQLException {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        long end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS).getEpochSecond() * SECOND;
        long start = end - DAYS * 86_400 * SECOND;
        long n = DAYS * 86_400 * PER_SECOND;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            TemperatureBlocks.write(c, DEVICE, "TEMPer (benchmark month)", start, n, 3);
            s.execute("SHUTDOWN COMPACT");
        }
        Properties p = new Properties();
        p.setProperty("start", Long.toString(start));
        p.setProperty("end", Long.toString(end));
        p.setProperty("samples", Long.toString(n));
        p.setProperty("fileBytes", Long.toString(Files.size(location.databaseFile())));
        return p;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
