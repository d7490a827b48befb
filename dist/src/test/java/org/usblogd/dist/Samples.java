package org.usblogd.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.usblogd.store.jdbc.StoreLocation;

/** Reads what a running daemon stored, through its loopback H2 server. */
final class Samples {
    private final StoreLocation db;

    Samples(Path state) {
        this.db = new StoreLocation(state);
    }

    /** Sample times (µs) of one device's channel, in order. */
    List<Long> times(String deviceKey, String channel) {
        return column("SELECT s.t FROM sample s JOIN channel c ON s.channel_id = c.id JOIN device d"
                + " ON c.device_id = d.id WHERE d.device_key = ? AND c.name = ? ORDER BY s.t", deviceKey, channel);
    }

    /** Sample values of one device's channel, in time order, as longs. */
    List<Long> values(String deviceKey, String channel) {
        return column("SELECT CAST(s.v AS BIGINT) FROM sample s JOIN channel c ON s.channel_id = c.id JOIN device d"
                + " ON c.device_id = d.id WHERE d.device_key = ? AND c.name = ? ORDER BY s.t", deviceKey, channel);
    }

    /** Sample values of one device's channel, in time order. */
    List<Double> doubles(String deviceKey, String channel) {
        List<Double> out = new ArrayList<>();
        query("SELECT s.v FROM sample s JOIN channel c ON s.channel_id = c.id JOIN device d"
                + " ON c.device_id = d.id WHERE d.device_key = ? AND c.name = ? ORDER BY s.t",
                rs -> out.add(rs.getDouble(1)), deviceKey, channel);
        return out;
    }

    /** Messages of one device's events of a kind, in order. */
    List<String> events(String deviceKey, String kind) {
        List<String> out = new ArrayList<>();
        query("SELECT e.message FROM event e JOIN device d ON e.device_id = d.id WHERE d.device_key = ? AND e.kind = ?"
                + " ORDER BY e.id", rs -> out.add(rs.getString(1)), deviceKey, kind);
        return out;
    }

    List<String> events(String kind) {
        List<String> out = new ArrayList<>();
        query("SELECT message FROM event WHERE kind = ? ORDER BY id", rs -> out.add(rs.getString(1)), kind);
        return out;
    }

    private List<Long> column(String sql, Object... args) {
        List<Long> out = new ArrayList<>();
        query(sql, rs -> out.add(rs.getLong(1)), args);
        return out;
    }

    interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private void query(String sql, Row row, Object... args) {
        try {
            int port = Integer.parseInt(Files.readString(db.serverFile()).strip());
            try (Connection c = DriverManager.getConnection(db.serverUrl(port), StoreLocation.USER, db.password());
                    PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** The largest interval between consecutive times after {@code fromMicros}, in ms. */
    static double largestGapMs(List<Long> times, long fromMicros) {
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i - 1) >= fromMicros) {
                max = Math.max(max, times.get(i) - times.get(i - 1));
            }
        }
        return max / 1000.0;
    }
}
