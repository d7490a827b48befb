package org.usblogd.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * The only thread that writes to the database. Producers hand it samples through a bounded queue and never
 * wait; when the queue is full the oldest samples make room, counted per device. The writer appends samples
 * to each channel's open block and commits the blocks that grew every visibility interval (so a query sees a
 * sample within that), and forces the database to disk every flush interval, which bounds what a crash or a
 * power cut can lose. A failed write keeps everything in memory and is retried; while the database is
 * away, memory holds at most the queue's capacity of samples and the queue does the rest.
 */
final class StoreWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final long RETRY_MS = 1_000;
    private static final long REPORT_EVERY_MS = 60_000;
    private static final long IDLE_BLOCK_MS = 600_000;
    /** Put in the sample queue to wake the writer; never written. */
    private static final StoreOp.Sample WAKE = new StoreOp.Sample(null, 0, 0);

    private final DataSource dataSource;
    /** Where an embedded database's files are, to explain failed writes; null for a server. */
    private volatile Path databaseDirectory;
    private final int blockSamples;
    private final long visibilityMs;
    private final long flushIntervalMs;
    private final int capacity;
    private final BlockingQueue<StoreOp.Sample> samples;
    private final BlockingQueue<StoreOp> control = new LinkedBlockingQueue<>();
    private final Map<String, Integer> deviceIds = new HashMap<>();
    private final Map<ChannelRef, OpenBlock> open = new HashMap<>();
    /** Full or out-of-order blocks not yet committed in full. */
    private final List<OpenBlock> sealed = new ArrayList<>();
    private final DropCounter drops = new DropCounter();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    /** Rounds of the writer loop: it goes round at least every visibility interval, so a stuck writer stops counting. */
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean failing;
    private final Thread thread = new Thread(this, "store-writer");
    private volatile boolean stopping;
    private Connection connection;
    private String lastError;
    private String firstError;
    private long failingSince;
    private long lastReportAt;
    private long lastReportedTotal;
    /** Samples appended to blocks and not yet committed: what the writer holds in memory. */
    private long uncommitted;
    private long lastCommitAt;
    private long lastSyncAt;
    private boolean syncSupported = true;
    private final ClockWatch clock = new ClockWatch(System::currentTimeMillis, System::nanoTime, 2_000);

    StoreWriter(DataSource dataSource, int capacity, int blockSamples, long visibilityMs, long flushIntervalMs) {
        this.dataSource = dataSource;
        this.capacity = capacity;
        this.blockSamples = Math.max(16, blockSamples);
        this.visibilityMs = Math.max(1, Math.min(visibilityMs, flushIntervalMs));
        this.flushIntervalMs = flushIntervalMs;
        this.samples = new ArrayBlockingQueue<>(capacity);
    }

    void start() {
        thread.start();
    }

    /** The directory of an embedded database, so that a failed write can say the disk is full. */
    void databaseDirectory(Path directory) {
        this.databaseDirectory = directory;
    }

    /**
     * Queues a sample; when the queue is full the oldest queued sample is dropped (and counted for its
     * device) to make room, so that a long outage keeps the most recent data. Never blocks.
     */
    boolean offer(StoreOp.Sample s) {
        if (stopping) {
            accepted.incrementAndGet();
            drops.count(s.channel().deviceKey, s.t());
            return false;
        }
        accepted.incrementAndGet();
        while (!samples.offer(s)) {
            StoreOp.Sample oldest = samples.poll();
            if (oldest != null && oldest != WAKE) {
                drops.count(oldest.channel().deviceKey, oldest.t());
            }
        }
        return true;
    }

    void submit(StoreOp op) {
        control.add(op);
    }

    long rounds() {
        return rounds.get();
    }

    boolean failing() {
        return failing;
    }

    long accepted() {
        return accepted.get();
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return drops.total();
    }

    /** Refuses new samples, writes everything queued and waits for that, up to {@code timeoutMs}. */
    boolean stop(long timeoutMs) throws InterruptedException {
        stopping = true;
        // Wake the writer with a marker, never with an interrupt: an interrupt during H2's file I/O fails the write.
        samples.offer(WAKE);
        thread.join(timeoutMs);
        return !thread.isAlive();
    }

    @Override
    public void run() {
        lastCommitAt = System.currentTimeMillis();
        lastSyncAt = lastCommitAt;
        while (true) {
            if (!stopping) {
                long wait = Math.max(1, lastCommitAt + visibilityMs - System.currentTimeMillis());
                try {
                    StoreOp.Sample first = samples.poll(wait, TimeUnit.MILLISECONDS);
                    if (first != null && first != WAKE) {
                        append(first);
                    }
                } catch (InterruptedException e) {
                    log.warn("store writer interrupted; it writes what is queued and stops");
                    stopping = true;
                }
            }
            drainQueue();
            clock.check().ifPresent(step -> {
                log.warn("{}", step);
                control.add(new StoreOp.Event(null, "clock.step", step, now()));
            });
            long now = System.currentTimeMillis();
            boolean ok = true;
            if (stopping || now - lastCommitAt >= visibilityMs || !control.isEmpty() && uncommitted == 0) {
                ok = writeOnce();
                failing = !ok;
                if (ok) {
                    lastCommitAt = now;
                }
            }
            rounds.incrementAndGet();
            boolean idle = samples.isEmpty() && control.isEmpty() && uncommitted == 0;
            if (stopping && (idle || !ok)) {
                if (!ok) {
                    log.error("store stopping with {} sample(s) not written: {}", uncommitted + samples.size(),
                            lastError);
                }
                break;
            }
            if (!ok) {
                sleepQuietly(RETRY_MS);
            }
        }
        closeConnection();
    }

    /** Moves queued samples into blocks while memory allows; beyond that they wait in the queue. */
    private void drainQueue() {
        while (uncommitted < capacity || stopping) {
            StoreOp.Sample s = samples.poll();
            if (s == null) {
                return;
            }
            if (s != WAKE) {
                append(s);
            }
        }
    }

    private void append(StoreOp.Sample s) {
        ChannelRef ref = s.channel();
        OpenBlock b = open.get(ref);
        if (b == null) {
            b = new OpenBlock(ref, blockSamples);
            open.put(ref, b);
        }
        if (!b.add(s.t(), s.v())) {
            b.sealed = true;
            sealed.add(b);
            b = new OpenBlock(ref, blockSamples);
            open.put(ref, b);
            b.add(s.t(), s.v());
        }
        uncommitted++;
    }

    private boolean writeOnce() {
        List<OpenBlock> inserted = new ArrayList<>();
        try {
            Connection c = connection();
            List<StoreOp> ops = new ArrayList<>();
            control.drainTo(ops);
            for (int i = 0; i < ops.size(); i++) {
                try {
                    apply(c, ops.get(i));
                } catch (SQLException e) {
                    c.rollback();
                    // keep the failed op and the rest, in order, for the next attempt
                    List<StoreOp> rest = new ArrayList<>(ops.subList(i, ops.size()));
                    rest.addAll(control);
                    control.clear();
                    control.addAll(rest);
                    throw e;
                }
            }
            int committing = writeBlocks(c, inserted);
            c.commit();
            List<OpenBlock> undeclared = new ArrayList<>();
            for (OpenBlock b : sealed) {
                if (b.channel.id >= 0 || b.channel.undeclarable) {
                    b.committed = b.size;
                } else {
                    undeclared.add(b); // its channel's row comes with a later write
                }
            }
            for (OpenBlock b : open.values()) {
                if (b.channel.id >= 0) {
                    b.committed = b.size;
                }
            }
            report(sealed);
            report(open.values());
            sealed.clear();
            sealed.addAll(undeclared);
            evictIdle();
            uncommitted -= committing;
            written.addAndGet(committing);
            drops.reportTo(this::submit);
            syncIfDue(c);
            if (lastError != null) {
                long seconds = (System.currentTimeMillis() - failingSince) / 1_000;
                log.info("store writes again after {} s", seconds);
                submit(new StoreOp.Event(null, "store.outage", "could not write for " + seconds + " s: " + firstError
                        + "; what waited in memory is written", now()));
                lastError = null;
            }
            return true;
        } catch (SQLException e) {
            // rows inserted in the rolled-back transaction do not exist: insert them again next time
            inserted.forEach(b -> b.rowId = -1);
            String why = StorageDiagnosis.of(databaseDirectory).orElse(String.valueOf(e.getMessage()));
            if (lastError == null) {
                failingSince = System.currentTimeMillis();
                firstError = why;
            }
            if (!why.equals(lastError)) {
                log.error("store cannot write: {}; {} sample(s) wait in memory (room for {}; beyond that the oldest"
                        + " are dropped and counted) and are written when it can write again{}", why,
                        uncommitted + samples.size(), capacity, why.equals(e.getMessage()) ? "" : " (" + e.getMessage()
                                + ")");
            }
            lastError = why;
            discardConnection();
            return false;
        }
    }

    /**
     * Forgets the open blocks of channels that have been quiet for a while (their rows stay as they are):
     * a logger that sees devices come and go for years must not keep a block buffer for each forever.
     */
    private void evictIdle() {
        long now = System.currentTimeMillis();
        open.values().removeIf(b -> !b.dirty() && now - b.lastAppendAt > IDLE_BLOCK_MS);
    }

    /** Inserts or rewrites every block that grew; returns how many samples this commit adds. */
    private int writeBlocks(Connection c, List<OpenBlock> inserted) throws SQLException {
        int adding = 0;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_block(channel_id, t_first, t_last, n,"
                + " sealed, data) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
                PreparedStatement update = c.prepareStatement(
                        "UPDATE sample_block SET t_last = ?, n = ?, sealed = ?, data = ? WHERE id = ?")) {
            List<OpenBlock> all = new ArrayList<>(sealed);
            all.addAll(open.values());
            for (OpenBlock b : all) {
                if (!b.dirty()) {
                    continue;
                }
                if (b.channel.undeclarable) {
                    for (int i = b.committed; i < b.size; i++) {
                        drops.count(b.channel.deviceKey, b.times[i]);
                    }
                    uncommitted -= b.size - b.committed;
                    b.committed = b.size;
                    continue;
                }
                if (b.channel.id < 0) {
                    continue; // its declaration has not been written yet
                }
                byte[] data = b.encode();
                if (b.rowId < 0) {
                    insert.setInt(1, b.channel.id);
                    insert.setLong(2, b.first());
                    insert.setLong(3, b.last());
                    insert.setInt(4, b.size);
                    insert.setBoolean(5, b.sealed);
                    insert.setBytes(6, data);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        b.rowId = keys.getLong(1);
                    }
                    inserted.add(b);
                } else {
                    update.setLong(1, b.last());
                    update.setInt(2, b.size);
                    update.setBoolean(3, b.sealed);
                    update.setBytes(4, data);
                    update.setLong(5, b.rowId);
                    update.executeUpdate();
                }
                adding += b.size - b.committed;
                b.lastAppendAt = System.currentTimeMillis();
            }
        }
        return adding;
    }

    /**
     * Forces committed data to the disk once per flush interval: H2 writes each commit to the file at once
     * (WRITE_DELAY=0), which a killed process does not lose, but only a sync survives a power cut.
     */
    private void syncIfDue(Connection c) {
        long now = System.currentTimeMillis();
        if (!syncSupported || now - lastSyncAt < flushIntervalMs) {
            return;
        }
        lastSyncAt = now;
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            syncSupported = false; // not H2: the server's own durability applies
            log.debug("no CHECKPOINT SYNC here: {}", e.getMessage());
            try {
                c.rollback(); // PostgreSQL refuses everything else in a transaction a statement failed in
            } catch (SQLException ignored) {
                // the next write finds out
            }
        }
    }

    /** Says when a channel's first sample is stored, then how many were stored each minute. */
    private void report(java.util.Collection<OpenBlock> committed) {
        for (OpenBlock b : committed) {
            ChannelRef ref = b.channel;
            if (!ref.firstLogged && ref.id >= 0 && b.size > 0) {
                ref.firstLogged = true;
                log.info("{}: first {} sample stored: {} {}", ref.deviceKey, ref.channel.name(), b.values[0],
                        ref.channel.unit());
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastReportAt >= REPORT_EVERY_MS) {
            long total = written.get();
            if (lastReportAt != 0 && total > lastReportedTotal) {
                log.info("store: {} samples stored in the last minute, {} since start", total - lastReportedTotal, total);
            }
            lastReportAt = now;
            lastReportedTotal = total;
        }
    }

    private void apply(Connection c, StoreOp op) throws SQLException {
        if (op instanceof StoreOp.Attached a) {
            attach(c, a);
        } else if (op instanceof StoreOp.DriverBound b) {
            update(c, "UPDATE device SET driver = ? WHERE device_key = ?", b.driver(), b.deviceKey());
        } else if (op instanceof StoreOp.Detached d) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE device SET attached = FALSE, last_seen = ? WHERE device_key = ?")) {
                ps.setLong(1, d.t());
                ps.setString(2, d.deviceKey());
                ps.executeUpdate();
            }
        } else if (op instanceof StoreOp.Event e) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO event(t, device_id, kind, message) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, e.t());
                Integer id = e.deviceKey() == null ? null : deviceId(c, e.deviceKey());
                if (id == null) {
                    ps.setNull(2, Types.INTEGER);
                } else {
                    ps.setInt(2, id);
                }
                ps.setString(3, e.kind());
                ps.setString(4, e.message() == null || e.message().length() <= 2000 ? e.message()
                        : e.message().substring(0, 2000));
                ps.executeUpdate();
            }
        } else if (op instanceof StoreOp.Declare d) {
            declare(c, d.channel());
        }
    }

    private void attach(Connection c, StoreOp.Attached a) throws SQLException {
        UsbDeviceInfo i = a.info();
        try (PreparedStatement up = c.prepareStatement("UPDATE device SET attached = TRUE, last_seen = ?, port_path = ?,"
                + " backend = ?, manufacturer = ?, product = ?, serial = ? WHERE device_key = ?")) {
            up.setLong(1, a.t());
            up.setString(2, i.portPath());
            up.setString(3, a.backend());
            up.setString(4, i.manufacturer());
            up.setString(5, i.product());
            up.setString(6, i.serialNumber());
            up.setString(7, a.deviceKey());
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO device(device_key, vid, pid, serial, port_path,"
                + " manufacturer, product, backend, attached, first_seen, last_seen)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)")) {
            ins.setString(1, a.deviceKey());
            ins.setInt(2, i.vendorId());
            ins.setInt(3, i.productId());
            ins.setString(4, i.serialNumber());
            ins.setString(5, i.portPath());
            ins.setString(6, i.manufacturer());
            ins.setString(7, i.product());
            ins.setString(8, a.backend());
            ins.setLong(9, a.t());
            ins.setLong(10, a.t());
            ins.executeUpdate();
        }
    }

    private void declare(Connection c, ChannelRef ref) throws SQLException {
        Integer device = deviceId(c, ref.deviceKey);
        if (device == null) {
            log.error("channel {} declared for unknown device {}; its samples are dropped", ref.channel.name(), ref.deviceKey);
            ref.undeclarable = true;
            return;
        }
        // update, else insert: the writer is the only one writing channels, and this is H2 and PostgreSQL alike
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE channel SET unit = ?, quantity = ? WHERE device_id = ? AND name = ?")) {
            up.setString(1, ref.channel.unit());
            up.setString(2, ref.channel.quantity());
            up.setInt(3, device);
            up.setString(4, ref.channel.name());
            if (up.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO channel(device_id, name, unit, quantity) VALUES (?, ?, ?, ?)")) {
                    ins.setInt(1, device);
                    ins.setString(2, ref.channel.name());
                    ins.setString(3, ref.channel.unit());
                    ins.setString(4, ref.channel.quantity());
                    ins.executeUpdate();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM channel WHERE device_id = ? AND name = ?")) {
            ps.setInt(1, device);
            ps.setString(2, ref.channel.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ref.id = rs.getInt(1);
            }
        }
    }

    private Integer deviceId(Connection c, String key) throws SQLException {
        Integer id = deviceIds.get(key);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM device WHERE device_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                id = rs.getInt(1);
            }
        }
        deviceIds.put(key, id);
        return id;
    }

    private static void update(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /**
     * Gives up a connection a write failed on: a pool would hand it out again, though the database behind it
     * may have closed itself (H2 does when its file cannot be written, a full disk say); the next write
     * opens a fresh one, and H2 reopens the file at its last good commit.
     */
    private void discardConnection() {
        if (connection == null) {
            return;
        }
        try {
            if (dataSource instanceof com.zaxxer.hikari.HikariDataSource pool) {
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("discarding the writer's connection: {}", e.getMessage());
        }
        connection = null;
    }

    /** Whether the writer thread runs (it keeps going round while the database fails, retrying). */
    boolean alive() {
        return thread.isAlive();
    }

    /** The last write's error, or null when it worked. */
    String lastError() {
        return failing ? lastError : null;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the writer's connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks every device detached: at start nothing is attached until a backend says so. */
    static void resetAttached(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE device SET attached = FALSE WHERE attached");
        }
    }

    static long now() {
        return SampleSink.nowMicros();
    }
}
