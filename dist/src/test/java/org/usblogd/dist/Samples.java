package org.usblogd.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/** Reads what a running daemon stored, through its loopback H2 server. */
final class Samples {
    private final StoreLocation db;
    private final boolean daemonStopped;

    /** Reads through the running daemon's server only: opening the file would lock the daemon out of it. */
    Samples(Path state) {
        this(state, false);
    }

    private Samples(Path state, boolean daemonStopped) {
        this.db = new StoreLocation(state);
        this.daemonStopped = daemonStopped;
    }

    /** Reads the file itself, once the daemon has stopped. */
    static Samples afterStop(Path state) {
        return new Samples(state, true);
    }

    /** Sample times (µs) of one device's channel, in order. */
    List<Long> times(String deviceKey, String channel) {
        return read(deviceKey, channel).stream().map(StoredSample::timeMicros).toList();
    }

    /** Sample values of one device's channel, in time order, as longs. */
    List<Long> values(String deviceKey, String channel) {
        return read(deviceKey, channel).stream().map(x -> (long) x.value()).toList();
    }

    /** Sample values of one device's channel, in time order. */
    List<Double> doubles(String deviceKey, String channel) {
        return read(deviceKey, channel).stream().map(StoredSample::value).toList();
    }

    /** Through the store's own query code, as export reads them (samples are in compressed blocks). */
    private List<StoredSample> read(String deviceKey, String channel) {
        return read(db, url(), new SampleQuery(deviceKey, channel, null, null));
    }

    /** The running daemon's server, or the file itself once the daemon has stopped. */
    private String url() {
        try {
            if (daemonStopped) {
                return "jdbc:h2:file:" + db.databasePath() + ";IFEXISTS=TRUE";
            }
            return db.serverUrl(Integer.parseInt(Files.readString(db.serverFile()).strip()));
        } catch (java.io.IOException | NumberFormatException e) {
            throw new AssertionError("no server port: " + e.getMessage(), e);
        }
    }

    static List<StoredSample> read(StoreLocation db, String url, SampleQuery query) {
        try {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser(StoreLocation.USER);
            ds.setPassword(db.password());
            List<StoredSample> out = new ArrayList<>();
            new SqlSampleStore(ds).samples(query, out::add);
            return out;
        } catch (java.io.IOException | StoreException e) {
            throw new AssertionError(query + ": " + e.getMessage(), e);
        }
    }

    /** Whether the daemon's maintenance has built the minute and the hour summaries of a channel up to {@code end}. */
    boolean summarised(String channel, long end) {
        boolean[] tiers = new boolean[3];
        query("SELECT p.tier, p.done FROM rollup_progress p JOIN channel c ON c.id = p.channel_id WHERE c.name = ?",
                rs -> tiers[rs.getInt(1)] |= rs.getLong(2) >= end, channel);
        return tiers[org.usblogd.api.store.Tier.MINUTE.ordinal()] && tiers[org.usblogd.api.store.Tier.HOUR.ordinal()];
    }

    /** Every device the store has seen, by key. */
    List<String> deviceKeys() {
        List<String> out = new ArrayList<>();
        query("SELECT device_key FROM device ORDER BY id", rs -> out.add(rs.getString(1)));
        return out;
    }

    /** The units one device's channels were declared with, as "channel unit". */
    List<String> channelUnits(String deviceKey) {
        List<String> out = new ArrayList<>();
        query("SELECT c.name, c.unit FROM channel c JOIN device d ON c.device_id = d.id WHERE d.device_key = ?"
                + " ORDER BY c.id", rs -> out.add(rs.getString(1) + " " + rs.getString(2)), deviceKey);
        return out;
    }

    /** Messages of one device's events of a kind, in order. */
    List<String> events(String deviceKey, String kind) {
        List<String> out = new ArrayList<>();
        query("SELECT e.message FROM event e JOIN device d ON e.device_id = d.id WHERE d.device_key = ? AND e.kind = ?"
                + " ORDER BY e.id", rs -> out.add(rs.getString(1)), deviceKey, kind);
        return out;
    }

    /** Times (µs) of one device's events of a kind, in order. */
    List<Long> eventTimes(String deviceKey, String kind) {
        List<Long> out = new ArrayList<>();
        query("SELECT e.t FROM event e JOIN device d ON e.device_id = d.id WHERE d.device_key = ? AND e.kind = ?"
                + " ORDER BY e.id", rs -> out.add(rs.getLong(1)), deviceKey, kind);
        return out;
    }

    /** Times (µs) of every event of a kind, in order. */
    List<Long> eventTimes(String kind) {
        List<Long> out = new ArrayList<>();
        query("SELECT t FROM event WHERE kind = ? ORDER BY id", rs -> out.add(rs.getLong(1)), kind);
        return out;
    }

    List<String> events(String kind) {
        List<String> out = new ArrayList<>();
        query("SELECT message FROM event WHERE kind = ? ORDER BY id", rs -> out.add(rs.getString(1)), kind);
        return out;
    }

    interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private void query(String sql, Row row, Object... args) {
        try {
            try (Connection c = DriverManager.getConnection(url(), StoreLocation.USER, db.password());
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
