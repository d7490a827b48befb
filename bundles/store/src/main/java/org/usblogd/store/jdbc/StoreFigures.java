package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.usblogd.api.store.StoreException;

/** What {@code usblogd status} says of the store from its tables: how fast samples come, how many were lost. */
public final class StoreFigures {
    /** How a {@code samples.dropped} event's message begins (DropCounter). */
    private static final Pattern DROPPED = Pattern.compile("^([0-9]+) sample\\(s\\) dropped");

    private final DataSource dataSource;

    public StoreFigures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The samples stored with times in [from, to), exactly: blocks inside the range by their count, the few
     * that straddle its ends decoded.
     */
    public long samplesBetween(long fromMicros, long toMicros) throws StoreException {
        long n = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement blocks = c.prepareStatement("SELECT t_first, t_last, n, data FROM sample_block"
                        + " WHERE t_last >= ? AND t_first < ? AND (t_first < ? OR t_last >= ?)");
                PreparedStatement inside = c.prepareStatement("SELECT COALESCE(SUM(n), 0) FROM sample_block"
                        + " WHERE t_first >= ? AND t_last < ?");
                PreparedStatement rows = c.prepareStatement("SELECT COUNT(*) FROM sample WHERE t >= ? AND t < ?")) {
            inside.setLong(1, fromMicros);
            inside.setLong(2, toMicros);
            n += single(inside);
            rows.setLong(1, fromMicros);
            rows.setLong(2, toMicros);
            n += single(rows);
            blocks.setLong(1, fromMicros);
            blocks.setLong(2, toMicros);
            blocks.setLong(3, fromMicros);
            blocks.setLong(4, toMicros);
            try (ResultSet rs = blocks.executeQuery()) {
                while (rs.next()) {
                    try {
                        for (long t : BlockCodec.decode(rs.getBytes(4)).times()) {
                            if (t >= fromMicros && t < toMicros) {
                                n++;
                            }
                        }
                    } catch (IllegalArgumentException e) {
                        // a damaged block: export says so; a rate can do without it
                    }
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("counting recent samples failed: " + e.getMessage(), e);
        }
    }

    /** The samples the latest daemon said it dropped since it started (its {@code samples.dropped} events). */
    public long droppedSinceStart() throws StoreException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT message"
                + " FROM event WHERE kind = 'samples.dropped' AND id > (SELECT COALESCE(MAX(id), 0) FROM event"
                + " WHERE kind = 'daemon.started')"); ResultSet rs = ps.executeQuery()) {
            long n = 0;
            while (rs.next()) {
                Matcher m = DROPPED.matcher(String.valueOf(rs.getString(1)));
                if (m.find()) {
                    n += Long.parseLong(m.group(1));
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("reading dropped samples failed: " + e.getMessage(), e);
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
