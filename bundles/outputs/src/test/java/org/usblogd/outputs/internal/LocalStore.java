package org.usblogd.outputs.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.BlockCodec;
import org.usblogd.store.jdbc.ForwardLog;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * A real H2 file in the store's schema, with blocks and events committed as the store's writer commits them (a
 * channel's blocks in time order), and the store's own {@link ForwardLog} reading it.
 */
final class LocalStore {
    final JdbcDataSource dataSource;
    final ForwardLog log;

    LocalStore(Path state) throws Exception {
        StoreLocation location = new StoreLocation(state);
        dataSource = new JdbcDataSource();
        dataSource.setURL(location.embeddedUrl());
        dataSource.setUser(StoreLocation.USER);
        dataSource.setPassword(location.password());
        try (Connection c = dataSource.getConnection()) {
            Schema.ensure(c);
        }
        log = new ForwardLog(dataSource);
    }

    /** The channel's row, made with its device when missing. */
    long channel(String device, String name, String unit) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("MERGE INTO device(device_key, vid, pid, first_seen, last_seen) KEY(device_key) VALUES ('"
                    + device + "', 4617, 1, 0, 0)");
            s.executeUpdate("MERGE INTO channel(device_id, name, unit) KEY(device_id, name, unit) VALUES ((SELECT id"
                    + " FROM device WHERE device_key = '" + device + "'), '" + name + "', '" + unit + "')");
            try (ResultSet rs = s.executeQuery("SELECT c.id FROM channel c JOIN device d ON c.device_id = d.id"
                    + " WHERE d.device_key = '" + device + "' AND c.name = '" + name + "' AND c.unit = '" + unit + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Commits {@code n} samples of the channel, one a second from {@code firstMicros}, values counting up from {@code firstValue}. */
    void commit(long channel, long firstMicros, int n, double firstValue) throws Exception {
        commit(channel, firstMicros, 1_000_000L, n, firstValue);
    }

    /** Commits {@code n} samples of the channel, {@code stepMicros} apart, as one sealed block. */
    void commit(long channel, long firstMicros, long stepMicros, int n, double firstValue) throws Exception {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = firstMicros + i * stepMicros;
            v[i] = firstValue + i;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sample_block(channel_id, t_first, t_last, n, sealed, data) VALUES (?, ?, ?, ?, TRUE, ?)")) {
            ps.setLong(1, channel);
            ps.setLong(2, t[0]);
            ps.setLong(3, t[n - 1]);
            ps.setInt(4, n);
            ps.setBytes(5, BlockCodec.encode(t, v, n));
            ps.executeUpdate();
        }
    }

    void event(long micros, String kind, String message) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event(t, kind, message) VALUES (?, ?, ?)")) {
            ps.setLong(1, micros);
            ps.setString(2, kind);
            ps.setString(3, message);
            ps.executeUpdate();
        }
    }
}
