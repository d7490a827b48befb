package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.usblogd.api.store.EventCount;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredEvent;

/**
 * The events the daemon recorded, read back in the order they were committed. One writer thread commits
 * them one transaction after another, so an event's id is also its place in that order: a reader that
 * remembers the last id it saw finds exactly the events committed since, whatever the wall clock did.
 */
public final class EventLog {
    /**
     * Which events to read.
     *
     * @param device a device's key, or null for all (and for the daemon's own)
     * @param kind one kind, or null for all
     * @param sinceMicros events from this time on, or null
     * @param afterId events after this one (0: from the first)
     */
    public record Filter(String device, String kind, Long sinceMicros, long afterId) {
        public Filter after(long id) {
            return new Filter(device, kind, sinceMicros, id);
        }
    }

    private final DataSource dataSource;

    public EventLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Streams the matching events in commit order; returns the id of the last one, or the filter's afterId. */
    public long read(Filter f, Consumer<StoredEvent> out) throws StoreException {
        String sql = "SELECT e.id, e.t, d.device_key, e.kind, e.message FROM event e"
                + " LEFT JOIN device d ON e.device_id = d.id WHERE e.id > ?"
                + " AND (CAST(? AS VARCHAR) IS NULL OR d.device_key = ?)"
                + " AND (CAST(? AS VARCHAR) IS NULL OR e.kind = ?)"
                + " AND (CAST(? AS BIGINT) IS NULL OR e.t >= ?) ORDER BY e.id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, f.afterId());
            SqlSampleStore.bindTwice(ps, 2, f.device());
            SqlSampleStore.bindTwice(ps, 4, f.kind());
            SqlSampleStore.bindTwice(ps, 6, f.sinceMicros());
            ps.setFetchSize(1_000);
            long last = f.afterId();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    out.accept(new StoredEvent(last, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return last;
        } catch (SQLException e) {
            throw new StoreException("reading events failed: " + e.getMessage(), e);
        }
    }

    /** Every kind of event recorded so far, sorted. */
    public List<String> kinds() throws StoreException {
        return strings("SELECT DISTINCT kind FROM event ORDER BY kind", "event kinds");
    }

    /** How many events of each kind each device has had (device null: the daemon's), by device and kind. */
    public List<EventCount> counts() throws StoreException {
        List<EventCount> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT"
                + " d.device_key, e.kind, COUNT(*) FROM event e LEFT JOIN device d ON d.id = e.device_id"
                + " GROUP BY d.device_key, e.kind ORDER BY d.device_key, e.kind");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new EventCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("counting events failed: " + e.getMessage(), e);
        }
    }

    /** Every device's key, sorted. */
    public List<String> devices() throws StoreException {
        return strings("SELECT device_key FROM device ORDER BY device_key", "devices");
    }

    private List<String> strings(String sql, String what) throws StoreException {
        List<String> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading " + what + " failed: " + e.getMessage(), e);
        }
    }
}
