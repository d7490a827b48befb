package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.usblogd.api.store.StoreException;

/**
 * Each channel's newest sample, in the unit it was recorded in: the newest block of each channel row (found
 * through the channel-and-time index, whatever the table holds) decoded, and the newest row of version 1.
 */
public final class LatestValues {
    /** A channel of a device in one unit. */
    public record Key(String device, String channel, String unit) {
    }

    /** The newest sample's time (microseconds) and value. */
    public record Latest(long timeMicros, double value) {
    }

    private final DataSource dataSource;

    public LatestValues(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<Key, Latest> read() throws StoreException {
        Map<Key, Latest> result = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement channels = c.prepareStatement("SELECT c.id, d.device_key, c.name, c.unit FROM channel c"
                        + " JOIN device d ON c.device_id = d.id");
                PreparedStatement block = c.prepareStatement("SELECT data FROM sample_block WHERE channel_id = ?"
                        + " ORDER BY t_first DESC LIMIT 1");
                PreparedStatement row = c.prepareStatement("SELECT t, v FROM sample WHERE channel_id = ?"
                        + " ORDER BY t DESC LIMIT 1");
                ResultSet rs = channels.executeQuery()) {
            while (rs.next()) {
                Latest latest = newest(newestOfBlock(block, rs.getInt(1)), newestRow(row, rs.getInt(1)));
                if (latest != null) {
                    result.put(new Key(rs.getString(2), rs.getString(3), rs.getString(4)), latest);
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading the newest values failed: " + e.getMessage(), e);
        }
    }

    private static Latest newestOfBlock(PreparedStatement ps, int channel) throws SQLException {
        ps.setInt(1, channel);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            BlockCodec.Block b = BlockCodec.decode(rs.getBytes(1));
            int last = b.times().length - 1;
            return last < 0 ? null : new Latest(b.times()[last], b.values()[last]);
        } catch (IllegalArgumentException e) {
            return null; // a damaged block: export names it; a newest value can do without
        }
    }

    private static Latest newestRow(PreparedStatement ps, int channel) throws SQLException {
        ps.setInt(1, channel);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Latest(rs.getLong(1), rs.getDouble(2)) : null;
        }
    }

    private static Latest newest(Latest a, Latest b) {
        return a == null ? b : b == null || a.timeMicros() >= b.timeMicros() ? a : b;
    }
}
