package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.usblogd.api.store.Backlog;
import org.usblogd.api.store.ForwardSource;
import org.usblogd.api.store.SourceChannel;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * Committed samples and events read after an output's cursors, and the cursors themselves
 * ({@code output_cursor}, {@code output_event_cursor}). Every read goes through the index of a channel's blocks
 * by first time, so an output that is up to date costs a few index lookups per channel, however long the
 * channel's history is.
 */
public final class ForwardLog implements ForwardSource {
    /**
     * How long after the store opens retention waits for every output with cursors, whether its file is there or
     * not: outputs register when their component starts, which may be a little after the store.
     */
    public static final java.time.Duration STARTUP_GRACE = java.time.Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final long graceEndsNanos;
    /** Outputs registered since the store opened: those whose file is there. */
    private final java.util.Set<String> registeredHere = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ForwardLog(DataSource dataSource) {
        this(dataSource, STARTUP_GRACE);
    }

    public ForwardLog(DataSource dataSource, java.time.Duration grace) {
        this.dataSource = dataSource;
        this.graceEndsNanos = System.nanoTime() + grace.toNanos();
    }

    /**
     * The outputs retention waits for: every one with cursors while the store has just opened (null), then those
     * registered since. An output whose file was removed while the daemon was stopped is never told to forget
     * (Configuration Admin starts empty at every start), and its cursors would hold raw samples for ever.
     */
    public java.util.Collection<String> awaited() {
        return System.nanoTime() - graceEndsNanos < 0 ? null : List.copyOf(registeredHere);
    }

    @Override
    public void register(String output) throws StoreException {
        registeredHere.add(output);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO output_event_cursor(output, event_id) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM"
                        + " output_event_cursor WHERE output = ?)")) {
            ps.setString(1, output);
            ps.setString(2, output);
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new StoreException("registering output " + output + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(String output) throws StoreException {
        registeredHere.remove(output);
        inTransaction("forgetting output " + output, c -> {
            for (String table : List.of("output_cursor", "output_event_cursor")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE output = ?")) {
                    ps.setString(1, output);
                    ps.executeUpdate();
                }
            }
        });
    }

    /**
     * The time up to which every known output has forwarded a channel's samples: retention by age removes no
     * sample after it. {@link Long#MAX_VALUE} when no output is known; {@link Long#MIN_VALUE} when one has
     * forwarded nothing of the channel.
     */
    public static long forwardedByAll(Connection c, long channelId) throws SQLException {
        return forwardedByAll(c, channelId, null);
    }

    /** As {@link #forwardedByAll(Connection, long)}, for the outputs named (null: every output with cursors). */
    public static long forwardedByAll(Connection c, long channelId, java.util.Collection<String> outputs)
            throws SQLException {
        if (outputs != null && outputs.isEmpty()) {
            return Long.MAX_VALUE;
        }
        List<String> named = outputs == null ? List.of() : List.copyOf(outputs);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(COALESCE(o.t, " + Long.MIN_VALUE
                + ")) FROM output_event_cursor r LEFT JOIN output_cursor o ON o.output = r.output AND o.channel_id = ?"
                + " WHERE " + SqlSampleStore.oneOf("r.output", named))) {
            ps.setLong(1, channelId);
            SqlSampleStore.bindAll(ps, 2, named);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0 ? Long.MAX_VALUE : rs.getLong(2);
            }
        }
    }

    @Override
    public List<SourceChannel> channels(String output) throws StoreException {
        String sql = "SELECT c.id, d.device_key, c.name, c.unit, o.t,"
                + " (SELECT b.t_last FROM sample_block b WHERE b.channel_id = c.id ORDER BY b.t_first DESC LIMIT 1),"
                + " (SELECT MAX(s.t) FROM sample s WHERE s.channel_id = c.id)"
                + " FROM channel c JOIN device d ON c.device_id = d.id"
                + " LEFT JOIN output_cursor o ON o.channel_id = c.id AND o.output = ? ORDER BY c.id";
        List<SourceChannel> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, output);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new SourceChannel(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            orNone(rs, 5), Math.max(orNone(rs, 6), orNone(rs, 7))));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading the channels for output " + output + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredSample> samplesAfter(SourceChannel channel, long afterMicros, int limit) throws StoreException {
        try (Connection c = dataSource.getConnection()) {
            List<StoredSample> blocks = new ArrayList<>();
            for (long id : blocksAfter(c, channel.id(), afterMicros)) {
                BlockCodec.Block b = block(c, id);
                if (b == null) {
                    continue; // removed meanwhile (retention)
                }
                long[] times = b.times();
                for (int i = 0; i < times.length && blocks.size() < limit; i++) {
                    if (times[i] > afterMicros) {
                        blocks.add(new StoredSample(times[i], channel.device(), channel.channel(), b.values()[i],
                                channel.unit()));
                    }
                }
                if (blocks.size() >= limit) {
                    break;
                }
            }
            List<StoredSample> rows = legacyRows(c, channel, afterMicros, limit);
            return rows.isEmpty() ? blocks : merge(blocks, rows, limit);
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("reading samples of " + channel.device() + " " + channel.channel()
                    + " to forward failed: " + e.getMessage(), e);
        }
    }

    /** The block that holds {@code afterMicros} (if it goes on after it), then every later one, in time order. */
    private static List<Long> blocksAfter(Connection c, long channelId, long afterMicros) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, t_last FROM sample_block WHERE channel_id = ?"
                + " AND t_first <= ? ORDER BY t_first DESC LIMIT 1")) {
            ps.setLong(1, channelId);
            ps.setLong(2, afterMicros);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(2) > afterMicros) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        // ids only: a block's data is fetched when its turn comes, and most reads stop within the first blocks
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sample_block WHERE channel_id = ?"
                + " AND t_first > ? ORDER BY t_first LIMIT 64")) {
            ps.setLong(1, channelId);
            ps.setLong(2, afterMicros);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static BlockCodec.Block block(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM sample_block WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.decode(rs.getBytes(1)) : null;
            }
        }
    }

    /** The rows of a version 1 database (a row per sample). */
    private static List<StoredSample> legacyRows(Connection c, SourceChannel ch, long afterMicros, int limit)
            throws SQLException {
        List<StoredSample> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t, v FROM sample WHERE channel_id = ? AND t > ?"
                + " ORDER BY t LIMIT ?")) {
            ps.setLong(1, ch.id());
            ps.setLong(2, afterMicros);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StoredSample(rs.getLong(1), ch.device(), ch.channel(), rs.getDouble(2), ch.unit()));
                }
            }
        }
        return rows;
    }

    private static List<StoredSample> merge(List<StoredSample> a, List<StoredSample> b, int limit) {
        List<StoredSample> out = new ArrayList<>(Math.min(limit, a.size() + b.size()));
        int i = 0;
        int j = 0;
        while (out.size() < limit && (i < a.size() || j < b.size())) {
            if (j >= b.size() || i < a.size() && a.get(i).timeMicros() <= b.get(j).timeMicros()) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        return out;
    }

    @Override
    public long eventCursor(String output) throws StoreException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_id FROM output_event_cursor WHERE output = ?")) {
            ps.setString(1, output);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("reading the event cursor of output " + output + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredEvent> eventsAfter(long afterId, int limit) throws StoreException {
        List<StoredEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT e.id, e.t, d.device_key, e.kind, e.message FROM event e LEFT JOIN device d"
                        + " ON e.device_id = d.id WHERE e.id > ? ORDER BY e.id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new StoreException("reading events to forward failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void advance(String output, Map<Long, Long> channelTimes, long eventId) throws StoreException {
        inTransaction("moving the cursor of output " + output, c -> {
            // update, else insert: each output's cursors have one writer, its own thread, so nothing races
            // between the two (and both databases take the statements as they are)
            for (Map.Entry<Long, Long> e : channelTimes.entrySet()) {
                upsert(c, "UPDATE output_cursor SET t = ? WHERE output = ? AND channel_id = ?",
                        "INSERT INTO output_cursor(t, output, channel_id) VALUES (?, ?, ?)", e.getValue(), output,
                        e.getKey());
            }
            if (eventId > 0) {
                upsert(c, "UPDATE output_event_cursor SET event_id = ? WHERE output = ?",
                        "INSERT INTO output_event_cursor(event_id, output) VALUES (?, ?)", eventId, output, null);
            }
        });
    }

    private static void upsert(Connection c, String update, String insert, long value, String output, Long channel)
            throws SQLException {
        try (PreparedStatement up = c.prepareStatement(update)) {
            bind(up, value, output, channel);
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement(insert)) {
            bind(in, value, output, channel);
            in.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, long value, String output, Long channel) throws SQLException {
        ps.setLong(1, value);
        ps.setString(2, output);
        if (channel != null) {
            ps.setLong(3, channel);
        }
    }

    @Override
    public Backlog backlog(String output) throws StoreException {
        long samples = 0;
        long oldest = Long.MAX_VALUE;
        // read before the connection below is taken: one output never holds two of the pool's connections
        List<SourceChannel> channels = channels(output);
        long eventCursor = eventCursor(output);
        try (Connection c = dataSource.getConnection()) {
            for (SourceChannel ch : channels) {
                if (!ch.behind()) {
                    continue;
                }
                long after = ch.forwardedMicros();
                samples += count(c, "SELECT COALESCE(SUM(n), 0), MIN(t_first) FROM sample_block WHERE channel_id = ?"
                        + " AND t_first > ?", ch.id(), after, t -> { });
                long[] first = { Long.MAX_VALUE };
                samples += count(c, "SELECT COUNT(*), MIN(t) FROM sample WHERE channel_id = ? AND t > ?", ch.id(),
                        after, t -> first[0] = Math.min(first[0], t));
                long[] blockFirst = { Long.MAX_VALUE };
                count(c, "SELECT 0, MIN(t_first) FROM sample_block WHERE channel_id = ? AND t_first > ?", ch.id(),
                        after, t -> blockFirst[0] = t);
                for (long id : blocksAfter(c, ch.id(), after)) {
                    BlockCodec.Block b = block(c, id);
                    if (b != null && b.times().length > 0 && b.times()[0] <= after) {
                        // the block the cursor is in: only its samples after the cursor
                        for (long t : b.times()) {
                            if (t > after) {
                                samples++;
                                blockFirst[0] = Math.min(blockFirst[0], t);
                            }
                        }
                    }
                    break;
                }
                oldest = Math.min(oldest, Math.min(first[0], blockFirst[0]));
            }
            long events;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM event WHERE id > ?")) {
                ps.setLong(1, eventCursor);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events = rs.getLong(1);
                }
            }
            return new Backlog(samples, oldest == Long.MAX_VALUE ? Long.MIN_VALUE : oldest, events);
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("reading the backlog of output " + output + " failed: " + e.getMessage(), e);
        }
    }

    /** The first column of a query with (count, min time); hands the min time on when there is one. */
    private static long count(Connection c, String sql, long channelId, long after,
            java.util.function.LongConsumer min) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, channelId);
            ps.setLong(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long t = rs.getLong(2);
                if (!rs.wasNull()) {
                    min.accept(t);
                }
                return rs.getLong(1);
            }
        }
    }

    private static long orNone(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Long.MIN_VALUE : v;
    }

    /** What one transaction on the store's connection does. */
    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Runs the work in one transaction: committed whole, or rolled back whole; {@code what} names it if not. */
    private void inTransaction(String what, Work work) throws StoreException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
