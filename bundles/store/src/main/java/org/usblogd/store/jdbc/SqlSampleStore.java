package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.usblogd.api.store.DeviceRecord;
import org.usblogd.api.store.EventCount;
import org.usblogd.api.store.EventQuery;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;

/** Queries over the store's tables; streams rows instead of collecting them. */
public final class SqlSampleStore implements SampleStore {
    private static final int FETCH_SIZE = 1_000;

    private final DataSource dataSource;

    public SqlSampleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Where it reads from, for the other queries of the command line ({@link EventLog}, {@link DeviceListing}). */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public long samples(SampleQuery q, Consumer<StoredSample> out) throws StoreException {
        return samples(listOf(q.device()), listOf(q.channel()), q.from(), q.to(), out);
    }

    /**
     * The samples of any of these devices' channels of any of these names, in time order; an empty list does
     * not restrict, a null time neither.
     */
    public long samples(List<String> devices, List<String> channels, Instant from, Instant to,
            Consumer<StoredSample> out) throws StoreException {
        try (Connection c = dataSource.getConnection()) {
            return merge(c, devices, channels, from, to).run(out);
        } catch (SQLException e) {
            throw new StoreException("reading samples failed: " + e.getMessage(), e);
        }
    }

    /** The same samples as runs of a channel's: no object per sample. */
    public long samples(List<String> devices, List<String> channels, Instant from, Instant to, SampleRuns out)
            throws StoreException {
        try (Connection c = dataSource.getConnection()) {
            return merge(c, devices, channels, from, to).run(out);
        } catch (SQLException e) {
            throw new StoreException("reading samples failed: " + e.getMessage(), e);
        }
    }

    private static BlockMerge merge(Connection c, List<String> devices, List<String> channels, Instant from,
            Instant to) {
        return new BlockMerge(c, devices, channels, from == null ? null : micros(from), to == null ? null : micros(to));
    }

    @Override
    public long summaries(SampleQuery q, Tier tier, Consumer<StoredSummary> out) throws StoreException {
        return summaries(listOf(q.device()), listOf(q.channel()), q.from(), q.to(), tier, out);
    }

    /** The summaries of a tier, selected as {@link #samples(List, List, Instant, Instant, Consumer)} selects. */
    public long summaries(List<String> devices, List<String> channels, Instant from, Instant to, Tier tier,
            Consumer<StoredSummary> out) throws StoreException {
        if (tier == Tier.RAW) {
            throw new IllegalArgumentException("raw samples come from samples(), not summaries()");
        }
        String sql = "SELECT r.t, d.device_key, c.name, r.mn, r.mx, r.mean, r.n, c.unit FROM sample_rollup r"
                + " JOIN channel c ON r.channel_id = c.id JOIN device d ON c.device_id = d.id"
                + " WHERE r.tier = ? AND " + oneOf("d.device_key", devices) + " AND " + oneOf("c.name", channels)
                + " AND (CAST(? AS BIGINT) IS NULL OR r.t >= ?) AND (CAST(? AS BIGINT) IS NULL OR r.t < ?)"
                + " ORDER BY r.t, d.device_key, c.name";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, tier.ordinal());
            int i = bindAll(ps, 2, devices);
            i = bindAll(ps, i, channels);
            bindTwice(ps, i, from == null ? null : tier.bucket(micros(from)));
            bindTwice(ps, i + 2, to == null ? null : micros(to));
            ps.setFetchSize(1_000);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.accept(new StoredSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getDouble(6), rs.getLong(7), rs.getString(8)));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("reading " + tier.name().toLowerCase() + " summaries failed: " + e.getMessage(), e);
        }
    }

    /** Events whose message says why a device has its driver or none; the latest is the device's binding. */
    public static final List<String> BINDING_EVENTS = List.of("driver.bound", "driver.none", "device.disabled");

    @Override
    public List<DeviceRecord> devices() throws StoreException {
        String sql = "SELECT d.device_key, d.vid, d.pid, d.product, d.backend, d.driver, d.attached,"
                + " d.first_seen, d.last_seen,"
                + " (SELECT COUNT(*) FROM sample s JOIN channel c ON s.channel_id = c.id WHERE c.device_id = d.id)"
                + " + (SELECT COALESCE(SUM(b.n), 0) FROM sample_block b JOIN channel c ON b.channel_id = c.id"
                + " WHERE c.device_id = d.id),"
                + " (SELECT e.message FROM event e WHERE e.device_id = d.id AND e.kind IN ("
                + String.join(", ", BINDING_EVENTS.stream().map(k -> "'" + k + "'").toList())
                + ") ORDER BY e.t DESC, e.id DESC LIMIT 1)"
                + " FROM device d ORDER BY d.device_key";
        List<DeviceRecord> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new DeviceRecord(rs.getString(1), String.format("%04x:%04x", rs.getInt(2), rs.getInt(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7), instant(rs.getLong(8)),
                        instant(rs.getLong(9)), rs.getLong(10), rs.getString(11)));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading devices failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, List<String>> channelNames() throws StoreException {
        return new DeviceListing(dataSource).channelNames();
    }

    @Override
    public long events(EventQuery q, Consumer<StoredEvent> out) throws StoreException {
        return new EventLog(dataSource).read(new EventLog.Filter(q.device(), q.kind(),
                q.since() == null ? null : micros(q.since()), q.afterId()), out);
    }

    @Override
    public List<String> eventKinds() throws StoreException {
        return new EventLog(dataSource).kinds();
    }

    @Override
    public List<EventCount> eventCounts() throws StoreException {
        return new EventLog(dataSource).counts();
    }

    private static List<String> listOf(String s) {
        return s == null ? List.of() : List.of(s);
    }

    /** {@code column IN (?, ...)}, a placeholder per value, or TRUE when there are none. */
    static String oneOf(String column, List<String> values) {
        return values.isEmpty() ? "TRUE" : column + " IN (" + String.join(", ", java.util.Collections.nCopies(
                values.size(), "?")) + ")";
    }

    /** Binds what {@link #oneOf} asked for from {@code index} on; the next index. */
    static int bindAll(PreparedStatement ps, int index, List<String> values) throws SQLException {
        int i = index;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    static void bindTwice(PreparedStatement ps, int index, Object value) throws SQLException {
        ps.setObject(index, value);
        ps.setObject(index + 1, value);
    }

    public static long micros(Instant i) {
        return Micros.of(i);
    }

    public static Instant instant(long micros) {
        return Micros.toInstant(micros);
    }
}
