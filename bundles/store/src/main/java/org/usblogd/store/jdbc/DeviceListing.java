package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.usblogd.api.store.StoreException;

/**
 * What {@code usblogd devices} shows of each device: its row, what its samples say (how many, the time of the
 * newest) and the state its latest events put it in. The state is read from the events because they are the
 * only record of what the device manager decided (bound, no driver, disabled, stale, retrying).
 */
public final class DeviceListing {

    /** Where a device stands, as the daemon last recorded it. */
    public enum State {
        /** bound to a driver, whose session runs */
        LOGGING("logging"),
        /** attached, no driver chosen yet */
        BINDING("binding"),
        /** attached, no installed driver takes it */
        NO_DRIVER("no driver"),
        /** attached, left alone by configuration */
        DISABLED("disabled"),
        /** bound, but it stopped delivering; the recovery ladder runs until it speaks again */
        STALE("stale"),
        /** its session failed or ended; it is opened again after a pause */
        RETRYING("retrying"),
        /** not plugged in, as far as the daemon knows */
        DETACHED("detached");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A channel of a device, once per unit it was recorded in. */
    public record Channel(String name, String unit) {
    }

    /**
     * One device.
     *
     * @param driver the driver bound, or null when none is (none takes it, or it is disabled)
     * @param attached what the database says; a daemon that was killed could not say otherwise
     * @param lastSampleMicros the time of its newest stored sample, or null
     * @param binding why it has its driver or none, as last decided, or null
     */
    public record Device(String device, String vidPid, String product, String backend, String driver,
            boolean attached, State state, long samples, Long lastSampleMicros, String binding,
            List<Channel> channels) {
    }

    private static final String STALE = "device.stale";
    private static final String RECOVERED = "device.recovered";
    private static final String ATTACHED = "device.attached";
    private static final List<String> TROUBLES = List.of("session.failed", "device.gone", "session.abandoned",
            "driver.unbound");

    /** Each device's samples in blocks and their newest time: one pass over an index (sample_block_figures). */
    public static final String BLOCK_FIGURES = "SELECT c.device_id, COALESCE(SUM(b.n), 0), MAX(b.t_last) FROM sample_block b"
            + " JOIN channel c ON b.channel_id = c.id GROUP BY c.device_id";

    private final DataSource dataSource;

    public DeviceListing(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every device, sorted by key. */
    public List<Device> devices() throws StoreException {
        try (Connection c = dataSource.getConnection()) {
            Map<Integer, long[]> samples = new HashMap<>();
            // one pass over the blocks (and the rows of version 1) for both the count and the newest time
            sampleFigures(c, BLOCK_FIGURES, samples);
            sampleFigures(c, "SELECT c.device_id, COUNT(*), MAX(s.t) FROM sample s JOIN channel c"
                    + " ON s.channel_id = c.id GROUP BY c.device_id", samples);
            Map<Integer, Map<String, Long>> latest = latestEvents(c);
            Map<Integer, List<Channel>> channels = channels(c);
            List<Device> result = new ArrayList<>();
            String sql = "SELECT d.id, d.device_key, d.vid, d.pid, d.product, d.backend, d.driver, d.attached,"
                    + " (SELECT e.message FROM event e WHERE e.device_id = d.id AND e.kind IN ("
                    + String.join(", ", SqlSampleStore.BINDING_EVENTS.stream().map(k -> "'" + k + "'").toList())
                    + ") ORDER BY e.id DESC LIMIT 1) FROM device d ORDER BY d.device_key";
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    long[] figures = samples.get(id);
                    Map<String, Long> events = latest.getOrDefault(id, Map.of());
                    boolean attached = rs.getBoolean(8);
                    String boundBy = latestOf(events, SqlSampleStore.BINDING_EVENTS);
                    String driver = boundBy == null || boundBy.equals("driver.bound") ? rs.getString(7) : null;
                    result.add(new Device(rs.getString(2), String.format("%04x:%04x", rs.getInt(3), rs.getInt(4)),
                            rs.getString(5), rs.getString(6), driver, attached, state(attached, events),
                            figures == null ? 0 : figures[0], figures == null || figures[1] == Long.MIN_VALUE ? null
                                    : figures[1], rs.getString(9), channels.getOrDefault(id, List.of())));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading devices failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every device's key with the names of its channels, sorted; cheap (no sample is counted): what a command
     * checks its --device and --channel against before it reads.
     */
    public Map<String, List<String>> channelNames() throws StoreException {
        Map<String, List<String>> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT DISTINCT"
                + " d.device_key, c.name FROM device d LEFT JOIN channel c ON c.device_id = d.id"
                + " ORDER BY d.device_key, c.name"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> names = result.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getString(2) != null) {
                    names.add(rs.getString(2));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading devices and channels failed: " + e.getMessage(), e);
        }
    }

    /**
     * The state the latest events put an attached device in, from the ids of the latest event of each kind
     * (ids follow the order the events were committed in, whatever the wall clock did).
     */
    static State state(boolean attached, Map<String, Long> latest) {
        if (!attached) {
            return State.DETACHED;
        }
        long since = latest.getOrDefault(ATTACHED, 0L);
        String binding = latestOf(latest, SqlSampleStore.BINDING_EVENTS);
        if (binding == null || latest.get(binding) < since) {
            return State.BINDING;
        }
        if (binding.equals("device.disabled")) {
            return State.DISABLED;
        }
        if (binding.equals("driver.none")) {
            return State.NO_DRIVER;
        }
        // a stale device is reopened (bound again) on its way up the ladder: stale until it delivers again
        long stale = latest.getOrDefault(STALE, 0L);
        if (stale > Math.max(since, latest.getOrDefault(RECOVERED, 0L))) {
            return State.STALE;
        }
        long trouble = latest.entrySet().stream()
                .filter(e -> TROUBLES.contains(e.getKey()) || e.getKey().startsWith("recovery."))
                .mapToLong(Map.Entry::getValue).max().orElse(0L);
        return trouble > latest.get(binding) ? State.RETRYING : State.LOGGING;
    }

    private static String latestOf(Map<String, Long> latest, List<String> kinds) {
        String found = null;
        for (String k : kinds) {
            Long id = latest.get(k);
            if (id != null && (found == null || id > latest.get(found))) {
                found = k;
            }
        }
        return found;
    }

    private static void sampleFigures(Connection c, String sql, Map<Integer, long[]> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] f = into.computeIfAbsent(rs.getInt(1), k -> new long[] { 0, Long.MIN_VALUE });
                f[0] += rs.getLong(2);
                long newest = rs.getLong(3);
                if (!rs.wasNull()) {
                    f[1] = Math.max(f[1], newest);
                }
            }
        }
    }

    private static Map<Integer, Map<String, Long>> latestEvents(Connection c) throws SQLException {
        List<String> kinds = new ArrayList<>(SqlSampleStore.BINDING_EVENTS);
        kinds.addAll(TROUBLES);
        kinds.addAll(List.of(STALE, RECOVERED, ATTACHED));
        String sql = "SELECT device_id, kind, MAX(id) FROM event WHERE device_id IS NOT NULL AND (kind IN ("
                + String.join(", ", kinds.stream().map(k -> "'" + k + "'").toList())
                + ") OR kind LIKE 'recovery.%') GROUP BY device_id, kind";
        Map<Integer, Map<String, Long>> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
            }
        }
        return result;
    }

    private static Map<Integer, List<Channel>> channels(Connection c) throws SQLException {
        Map<Integer, List<Channel>> result = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT device_id, name, unit FROM channel"
                + " ORDER BY device_id, name, unit"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
                        .add(new Channel(rs.getString(2), rs.getString(3)));
            }
        }
        return result;
    }
}
