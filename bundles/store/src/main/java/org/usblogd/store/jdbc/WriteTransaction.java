package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * One write of the store writer: device rows, channel rows, events and sample blocks in one database
 * transaction. Device and channel ids are resolved inside it (looked up, or their rows made when missing),
 * and become known to the {@link IdCache} only when {@link #commit()} succeeds: a transaction that fails at
 * any statement or at the commit leaves nothing behind that a later write could trip over.
 */
public final class WriteTransaction implements AutoCloseable {
    private static final int MESSAGE_MAX = 2_000;

    private final Connection c;
    private final IdCache committed;
    private final Function<String, DeviceRow> known;
    private final long nowMicros;
    private final Map<String, Integer> devices = new HashMap<>();
    private final Map<String, Integer> channels = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    /**
     * @param known what the writer knows of a device, to make its row again if it is missing; null when
     *     nothing (the row is then made from the key)
     */
    public WriteTransaction(Connection c, IdCache committed, Function<String, DeviceRow> known, long nowMicros) {
        this.c = c;
        this.committed = committed;
        this.known = known;
        this.nowMicros = nowMicros;
    }

    /** Writes what is known of a device: its row is updated, or made. */
    public void device(DeviceRow row) throws SQLException {
        PreparedStatement up = statement("UPDATE device SET attached = ?, last_seen = ?, port_path = COALESCE(?,"
                + " port_path), backend = COALESCE(?, backend), manufacturer = COALESCE(?, manufacturer), product ="
                + " COALESCE(?, product), serial = COALESCE(?, serial), driver = COALESCE(?, driver)"
                + " WHERE device_key = ?");
        UsbDeviceInfo i = row.info();
        up.setBoolean(1, row.attached());
        up.setLong(2, row.lastSeen());
        up.setString(3, i == null ? null : i.portPath());
        up.setString(4, row.backend());
        up.setString(5, i == null ? null : i.manufacturer());
        up.setString(6, i == null ? null : i.product());
        up.setString(7, i == null ? null : i.serialNumber());
        up.setString(8, row.driver());
        up.setString(9, row.key());
        if (up.executeUpdate() == 0) {
            devices.put(row.key(), insertDevice(row));
        }
    }

    private int insertDevice(DeviceRow row) throws SQLException {
        PreparedStatement ins = generating("INSERT INTO device(device_key, vid, pid, serial, port_path, manufacturer,"
                + " product, backend, driver, attached, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        UsbDeviceInfo i = row.info();
        ins.setString(1, row.key());
        ins.setInt(2, row.vid());
        ins.setInt(3, row.pid());
        ins.setString(4, i == null ? null : i.serialNumber());
        ins.setString(5, i == null ? null : i.portPath());
        ins.setString(6, i == null ? null : i.manufacturer());
        ins.setString(7, i == null ? null : i.product());
        ins.setString(8, row.backend());
        ins.setString(9, row.driver());
        ins.setBoolean(10, row.attached());
        ins.setLong(11, row.firstSeen());
        ins.setLong(12, row.lastSeen());
        ins.executeUpdate();
        return generatedId(ins);
    }

    /** The device's row id; its row is made when it is missing. */
    public int deviceId(String key) throws SQLException {
        Integer id = devices.get(key);
        if (id == null) {
            id = committed.devices.get(key);
        }
        if (id == null) {
            PreparedStatement ps = statement("SELECT id FROM device WHERE device_key = ?");
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    id = rs.getInt(1);
                }
            }
        }
        if (id == null) {
            DeviceRow row = known == null ? null : known.apply(key);
            id = insertDevice(row != null ? row : DeviceRow.fromKey(key, nowMicros));
        }
        devices.put(key, id);
        return id;
    }

    /**
     * Writes a channel's declaration and returns its row id. A channel has a row per unit: a unit other than
     * the one declared last starts a row of its own (or takes up its earlier one again), so that the samples
     * already stored keep the unit they were recorded in, and the change is recorded as a
     * {@code channel.unit} event.
     */
    public int declare(String deviceKey, Channel channel) throws SQLException {
        int device = deviceId(deviceKey);
        String previous = null;
        long order = 1;
        PreparedStatement last = statement("SELECT unit, declared FROM channel WHERE device_id = ? AND name = ?"
                + " ORDER BY declared DESC NULLS LAST, id DESC LIMIT 1");
        last.setInt(1, device);
        last.setString(2, channel.name());
        try (ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                previous = rs.getString(1);
                order = rs.getLong(2) + 1;
            }
        }
        PreparedStatement up = statement("UPDATE channel SET quantity = ?, declared = ?"
                + " WHERE device_id = ? AND name = ? AND unit = ?");
        up.setString(1, channel.quantity());
        up.setLong(2, order);
        up.setInt(3, device);
        up.setString(4, channel.name());
        up.setString(5, channel.unit());
        int id = up.executeUpdate() == 0 ? insertChannel(device, channel, order) : selectChannel(device, channel);
        if (previous != null && !previous.equals(channel.unit())) {
            event(nowMicros, deviceKey, "channel.unit", "channel " + channel.name() + ": unit changed from "
                    + previous + " to " + channel.unit() + "; the samples recorded before keep " + previous);
        }
        channels.put(IdCache.channelKey(deviceKey, channel), id);
        return id;
    }

    /**
     * The channel's row id, from the cache when it is known to be committed, else looked up; a missing row
     * (the database went back to before its declaration) is made again without counting as a declaration.
     */
    public int channelId(String deviceKey, Channel channel) throws SQLException {
        String key = IdCache.channelKey(deviceKey, channel);
        Integer id = channels.get(key);
        if (id == null) {
            id = committed.channels.get(key);
        }
        if (id == null) {
            int device = deviceId(deviceKey);
            id = findChannel(device, channel);
            if (id == null) {
                id = insertChannel(device, channel, null);
            }
            channels.put(key, id);
        }
        return id;
    }

    private int insertChannel(int device, Channel channel, Long declared) throws SQLException {
        PreparedStatement ins = generating("INSERT INTO channel(device_id, name, unit, quantity, declared)"
                + " VALUES (?, ?, ?, ?, ?)");
        ins.setInt(1, device);
        ins.setString(2, channel.name());
        ins.setString(3, channel.unit());
        ins.setString(4, channel.quantity());
        if (declared == null) {
            ins.setNull(5, Types.BIGINT);
        } else {
            ins.setLong(5, declared);
        }
        ins.executeUpdate();
        return generatedId(ins);
    }

    private Integer findChannel(int device, Channel channel) throws SQLException {
        PreparedStatement ps = statement("SELECT id FROM channel WHERE device_id = ? AND name = ? AND unit = ?");
        ps.setInt(1, device);
        ps.setString(2, channel.name());
        ps.setString(3, channel.unit());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : null;
        }
    }

    private int selectChannel(int device, Channel channel) throws SQLException {
        Integer id = findChannel(device, channel);
        if (id == null) {
            throw new SQLException("channel " + channel.name() + " (" + channel.unit() + ") of device row " + device
                    + " vanished while declared");
        }
        return id;
    }

    /** @param deviceKey null for the daemon's own events */
    /** Inserts an event; returns its id. */
    public long event(long t, String deviceKey, String kind, String message) throws SQLException {
        Integer device = deviceKey == null ? null : deviceId(deviceKey);
        PreparedStatement ps = generating("INSERT INTO event(t, device_id, kind, message) VALUES (?, ?, ?, ?)");
        ps.setLong(1, t);
        if (device == null) {
            ps.setNull(2, Types.INTEGER);
        } else {
            ps.setInt(2, device);
        }
        ps.setString(3, kind);
        ps.setString(4, message == null || message.length() <= MESSAGE_MAX ? message : message.substring(0, MESSAGE_MAX));
        ps.executeUpdate();
        return generatedLong(ps);
    }

    /** Inserts a block row; returns its id. */
    public long insertBlock(int channel, long first, long last, int n, boolean sealed, byte[] data) throws SQLException {
        PreparedStatement ins = generating("INSERT INTO sample_block(channel_id, t_first, t_last, n, sealed, data)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        ins.setInt(1, channel);
        ins.setLong(2, first);
        ins.setLong(3, last);
        ins.setInt(4, n);
        ins.setBoolean(5, sealed);
        ins.setBytes(6, data);
        ins.executeUpdate();
        try (ResultSet keys = ins.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    /**
     * Rewrites a block row; false when the row is not there (any more), so that the caller inserts it. The
     * channel and first time must match too: a database that went back to an earlier commit may have given
     * the id to another block since.
     */
    public boolean updateBlock(long id, int channel, long first, long last, int n, boolean sealed, byte[] data)
            throws SQLException {
        PreparedStatement up = statement("UPDATE sample_block SET t_last = ?, n = ?, sealed = ?, data = ?"
                + " WHERE id = ? AND channel_id = ? AND t_first = ?");
        up.setLong(1, last);
        up.setInt(2, n);
        up.setBoolean(3, sealed);
        up.setBytes(4, data);
        up.setLong(5, id);
        up.setInt(6, channel);
        up.setLong(7, first);
        return up.executeUpdate() == 1;
    }

    /** Commits; only then do the ids resolved in this transaction become known. */
    public void commit() throws SQLException {
        c.commit();
        committed.devices.putAll(devices);
        committed.channels.putAll(channels);
    }

    /** Undoes the transaction; what it resolved is forgotten. Never throws: the connection is given up anyway. */
    public void rollback() {
        devices.clear();
        channels.clear();
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is discarded after a failed write
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // closing a statement of a connection that failed
            }
        }
        statements.clear();
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private PreparedStatement generating(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
            statements.put(sql, ps);
        }
        return ps;
    }

    private static int generatedId(PreparedStatement ps) throws SQLException {
        return Math.toIntExact(generatedLong(ps));
    }

    private static long generatedLong(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no id for the new row");
            }
            return keys.getLong(1);
        }
    }

    /**
     * At open: nothing is attached until a backend says so, and blocks left open by the last run are final
     * (the writer never rewrites a block of an earlier run), so that retention may remove them.
     */
    public static void atOpen(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE device SET attached = FALSE WHERE attached");
            s.executeUpdate("UPDATE sample_block SET sealed = TRUE WHERE NOT sealed");
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
