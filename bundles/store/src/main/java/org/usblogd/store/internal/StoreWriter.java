package org.usblogd.store.internal;

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
 * wait; it inserts them in JDBC batches and commits at least once per flush interval, which bounds what a
 * crash can lose. A failed batch is kept and retried, so a database error delays data instead of losing it.
 */
final class StoreWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final long RETRY_MS = 1_000;
    private static final long REPORT_EVERY_MS = 60_000;
    /** Put in the sample queue to wake the writer; never written. */
    private static final StoreOp.Sample WAKE = new StoreOp.Sample(null, 0, 0);

    private final DataSource dataSource;
    private final int batchSize;
    private final long flushIntervalMs;
    private final BlockingQueue<StoreOp.Sample> samples;
    private final BlockingQueue<StoreOp> control = new LinkedBlockingQueue<>();
    private final Map<String, Integer> deviceIds = new HashMap<>();
    private final List<StoreOp.Sample> pending = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Rounds of the writer loop: it goes round at least every flush interval, so a stuck writer stops counting. */
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean failing;
    private final Thread thread = new Thread(this, "store-writer");
    private volatile boolean stopping;
    private Connection connection;
    private String lastError;
    private long lastReportAt;
    private long lastReportedTotal;

    StoreWriter(DataSource dataSource, int capacity, int batchSize, long flushIntervalMs) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.samples = new ArrayBlockingQueue<>(capacity);
    }

    void start() {
        thread.start();
    }

    /** Queues a sample; false (and counted) when the queue is full. Never blocks. */
    boolean offer(StoreOp.Sample s) {
        if (stopping || !samples.offer(s)) {
            dropped.incrementAndGet();
            return false;
        }
        accepted.incrementAndGet();
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
        return dropped.get();
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
        while (true) {
            if (!stopping && pending.isEmpty()) {
                try {
                    StoreOp.Sample first = samples.poll(flushIntervalMs, TimeUnit.MILLISECONDS);
                    if (first != null && first != WAKE) {
                        pending.add(first);
                    }
                } catch (InterruptedException e) {
                    log.warn("store writer interrupted; it writes what is queued and stops");
                    stopping = true;
                }
            }
            if (pending.size() < batchSize) {
                samples.drainTo(pending, batchSize - pending.size());
                pending.removeIf(x -> x == WAKE);
            }
            boolean ok = writeOnce();
            failing = !ok;
            rounds.incrementAndGet();
            boolean idle = samples.isEmpty() && control.isEmpty() && pending.isEmpty();
            if (stopping && (idle || !ok)) {
                if (!ok) {
                    log.error("store stopping with {} sample(s) not written: {}", pending.size() + samples.size(), lastError);
                }
                break;
            }
            if (!ok) {
                sleepQuietly(RETRY_MS);
            }
        }
        closeConnection();
    }

    private boolean writeOnce() {
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
            if (!pending.isEmpty()) {
                insert(c, pending);
            }
            c.commit();
            written.addAndGet(pending.size());
            report(pending);
            pending.clear();
            if (lastError != null) {
                log.info("store writes again");
                lastError = null;
            }
            return true;
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                log.error("store cannot write ({} sample(s) waiting): {}", pending.size() + samples.size(), e.getMessage());
            }
            lastError = String.valueOf(e.getMessage());
            closeConnection();
            return false;
        }
    }

    /** Says when a channel's first sample is stored, then how many were stored each minute. */
    private void report(List<StoreOp.Sample> committed) {
        for (StoreOp.Sample x : committed) {
            ChannelRef ref = x.channel();
            if (!ref.firstLogged && ref.id >= 0) {
                ref.firstLogged = true;
                log.info("{}: first {} sample stored: {} {}", ref.deviceKey, ref.channel.name(), x.v(), ref.channel.unit());
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

    private void insert(Connection c, List<StoreOp.Sample> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample(channel_id, t, v) VALUES (?, ?, ?)")) {
            int n = 0;
            for (StoreOp.Sample s : batch) {
                if (s.channel().id < 0) {
                    continue; // its declaration failed; counted there
                }
                ps.setInt(1, s.channel().id);
                ps.setLong(2, s.t());
                ps.setDouble(3, s.v());
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
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
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "MERGE INTO channel(device_id, name, unit, quantity) KEY(device_id, name) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, device);
            ps.setString(2, ref.channel.name());
            ps.setString(3, ref.channel.unit());
            ps.setString(4, ref.channel.quantity());
            ps.executeUpdate();
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
