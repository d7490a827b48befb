package org.usblogd.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.BlockMerge;
import org.usblogd.store.jdbc.Dialect;

/**
 * The store's housekeeping, in small steps so that it never holds up the writer: summarise finished
 * minutes of raw samples and finished hours of minutes, then remove what the retention policy no longer
 * keeps, oldest first, and keep the samples' bytes within the budget. Each step is one short transaction
 * on its own connection; {@link #step()} says whether there is more to do.
 */
final class Maintenance {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    /** A minute is summarised this long after it ended, so that samples still in flight are in it. */
    static final long SETTLE_MICROS = 120_000_000L;
    private static final long MINUTE_CHUNK = 6 * Tier.HOUR.micros();
    private static final long HOUR_CHUNK = 7 * 24 * Tier.HOUR.micros();
    private static final int DELETE_BATCH = 200;
    private static final long DAY = 86_400_000_000L;
    /** What a summary row costs in the database, for the budget. */
    private static final long SUMMARY_BYTES = 48;

    private record ChannelRow(int id, String device, String name) {
    }

    private final DataSource dataSource;
    /** Set at start and by a configuration change while the daemon runs. */
    private volatile RetentionPolicy policy;
    private final LongSupplier nowMicros;
    private final java.util.function.BiConsumer<String, String> events;
    private long blockBytes = -1;
    private long maxBlockId;
    private final CompactionWindows windows;
    /** The compaction window the budget was last measured after; -1 while the file is within the budget. */
    private long budgetWindow = -1;
    /** Bytes of samples given up for the budget since that window; -1 until a window followed going over. */
    private long budgetFreed = -1;
    /** The file's size and the windows done when data was last given up for the budget. */
    private long budgetSizeAtGiveUp = -1;
    private long budgetWindowAtGiveUp;
    private long lastDeletedBytes;
    private volatile java.util.function.Supplier<java.util.Collection<String>> outputs = () -> null;
    /** Windows after giving up data before more may go although the file has not shrunk yet. */
    private static final int WINDOWS_TO_SHOW = 3;

    /** @param events (kind, message) for the store's event table */
    Maintenance(DataSource dataSource, RetentionPolicy policy, LongSupplier nowMicros,
            java.util.function.BiConsumer<String, String> events, CompactionWindows windows) {
        this.windows = windows;
        this.dataSource = dataSource;
        this.policy = policy;
        this.nowMicros = nowMicros;
        this.events = events;
    }

    /** The outputs retention waits for ({@link org.usblogd.store.jdbc.ForwardLog#awaited}); null: all. */
    void waitFor(java.util.function.Supplier<java.util.Collection<String>> outputs) {
        this.outputs = outputs;
    }

    /** What to keep, from the next step on. */
    void policy(RetentionPolicy policy) {
        this.policy = policy;
    }

    /** One small piece of work; true when there may be more. */
    boolean step() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            synchronized (windows.lock()) {
                try {
                    boolean did = summariseMinutes(c) || summariseHours(c) || expire(c) || holdBudget(c);
                    c.commit();
                    return did;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    blockBytes = -1; // recount after a failed step
                    throw e;
                }
            }
        }
    }

    /** Steps until idle or {@code max} steps; returns how many did something. */
    int runUntilIdle(int max) throws SQLException {
        int n = 0;
        while (n < max && step()) {
            n++;
        }
        return n;
    }

    private List<ChannelRow> channels(Connection c) throws SQLException {
        List<ChannelRow> list = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.id, d.device_key, c.name FROM channel c JOIN device d ON c.device_id = d.id ORDER BY c.id")) {
            while (rs.next()) {
                list.add(new ChannelRow(rs.getInt(1), rs.getString(2), rs.getString(3)));
            }
        }
        return list;
    }

    private Long done(Connection c, int channel, Tier tier) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT done FROM rollup_progress WHERE channel_id = ? AND tier = ?")) {
            ps.setInt(1, channel);
            ps.setInt(2, tier.ordinal());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private void setDone(Connection c, int channel, Tier tier, long done) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE rollup_progress SET done = ? WHERE channel_id = ? AND tier = ?")) {
            up.setLong(1, done);
            up.setInt(2, channel);
            up.setInt(3, tier.ordinal());
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO rollup_progress(channel_id, tier, done) VALUES (?, ?, ?)")) {
            ins.setInt(1, channel);
            ins.setInt(2, tier.ordinal());
            ins.setLong(3, done);
            ins.executeUpdate();
        }
    }

    private Long firstSample(Connection c, int channel) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT LEAST(COALESCE((SELECT MIN(t_first) FROM sample_block"
                + " WHERE channel_id = ?), 9223372036854775807), COALESCE((SELECT MIN(t) FROM sample WHERE channel_id"
                + " = ?), 9223372036854775807))")) {
            ps.setInt(1, channel);
            ps.setInt(2, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long t = rs.getLong(1);
                return t == Long.MAX_VALUE ? null : t;
            }
        }
    }

    private static final class Acc {
        long n;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;

        void add(double v, long count, double lo, double hi) {
            n += count;
            sum += v * count;
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
    }

    /** One channel's next chunk of finished minutes, from its raw samples. */
    private boolean summariseMinutes(Connection c) throws SQLException {
        long until = Tier.MINUTE.bucket(nowMicros.getAsLong() - SETTLE_MICROS);
        for (ChannelRow ch : channels(c)) {
            Long done = done(c, ch.id(), Tier.MINUTE);
            if (done == null) {
                Long first = firstSample(c, ch.id());
                if (first == null) {
                    continue;
                }
                done = Tier.MINUTE.bucket(first);
            }
            if (done >= until) {
                continue;
            }
            long end = Math.min(until, done + MINUTE_CHUNK);
            Map<Long, Acc> buckets = new TreeMap<>();
            BlockMerge.ofRow(c, ch.id(), done, end).run(s -> buckets
                    .computeIfAbsent(Tier.MINUTE.bucket(s.timeMicros()), k -> new Acc()).add(s.value(), 1, s.value(),
                            s.value()));
            write(c, ch.id(), Tier.MINUTE, done, end, buckets);
            setDone(c, ch.id(), Tier.MINUTE, end);
            return true;
        }
        return false;
    }

    /** One channel's next chunk of finished hours, from its minute summaries. */
    private boolean summariseHours(Connection c) throws SQLException {
        for (ChannelRow ch : channels(c)) {
            Long minutes = done(c, ch.id(), Tier.MINUTE);
            if (minutes == null) {
                continue;
            }
            long until = Tier.HOUR.bucket(minutes);
            Long done = done(c, ch.id(), Tier.HOUR);
            if (done == null) {
                Long first = firstSample(c, ch.id());
                if (first == null) {
                    continue;
                }
                done = Tier.HOUR.bucket(first);
            }
            if (done >= until) {
                continue;
            }
            long end = Math.min(until, done + HOUR_CHUNK);
            Map<Long, Acc> buckets = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t, n, mn, mx, mean FROM sample_rollup"
                    + " WHERE channel_id = ? AND tier = ? AND t >= ? AND t < ?")) {
                ps.setInt(1, ch.id());
                ps.setInt(2, Tier.MINUTE.ordinal());
                ps.setLong(3, done);
                ps.setLong(4, end);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        buckets.computeIfAbsent(Tier.HOUR.bucket(rs.getLong(1)), k -> new Acc()).add(rs.getDouble(5),
                                rs.getLong(2), rs.getDouble(3), rs.getDouble(4));
                    }
                }
            }
            write(c, ch.id(), Tier.HOUR, done, end, buckets);
            setDone(c, ch.id(), Tier.HOUR, end);
            return true;
        }
        return false;
    }

    /** Replaces the summaries of [from, to): nothing but this step writes them, in one transaction. */
    private static void write(Connection c, int channel, Tier tier, long from, long to, Map<Long, Acc> buckets)
            throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM sample_rollup WHERE channel_id = ? AND tier = ? AND t >= ? AND t < ?")) {
            del.setInt(1, channel);
            del.setInt(2, tier.ordinal());
            del.setLong(3, from);
            del.setLong(4, to);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample_rollup(channel_id, tier, t, n, mn, mx, mean)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, Acc> e : buckets.entrySet()) {
                Acc a = e.getValue();
                ps.setInt(1, channel);
                ps.setInt(2, tier.ordinal());
                ps.setLong(3, e.getKey());
                ps.setLong(4, a.n);
                ps.setDouble(5, a.min);
                ps.setDouble(6, a.max);
                ps.setDouble(7, a.sum / a.n);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes one batch of what is older than its tier keeps: raw blocks, then minutes, then hours. */
    private boolean expire(Connection c) throws SQLException {
        long now = nowMicros.getAsLong();
        for (ChannelRow ch : channels(c)) {
            long days = policy.rawDays(ch.device(), ch.name());
            Long minutes = done(c, ch.id(), Tier.MINUTE);
            if (days <= 0 || minutes == null) {
                continue;
            }
            long before = Math.min(now - days * DAY, minutes);
            // nor what an output has yet to forward (t_last < before: a block wholly forwarded may go)
            long forwarded = org.usblogd.store.jdbc.ForwardLog.forwardedByAll(c, ch.id(), outputs.get());
            if (forwarded != Long.MAX_VALUE) {
                before = Math.min(before, forwarded == Long.MIN_VALUE ? Long.MIN_VALUE : forwarded + 1);
            }
            // only sealed blocks: the writer may still rewrite a filling one
            int n = deleteBlocks(c, "SELECT id, LENGTH(data), n FROM sample_block WHERE channel_id = " + ch.id()
                    + " AND sealed AND t_last < " + before + " ORDER BY t_first LIMIT " + DELETE_BATCH);
            n += deleteLegacy(c, ch.id(), before);
            if (n > 0) {
                note("retention.raw", ch.device() + " " + ch.name() + ": raw samples before " + instant(before)
                        + " removed (kept " + days + " days; minute and hour summaries stay)");
                return true;
            }
        }
        if (policy.minuteDays() > 0 && deleteSummaries(c, Tier.MINUTE, now - policy.minuteDays() * DAY, Tier.HOUR)) {
            return true;
        }
        return policy.hourDays() > 0 && deleteSummaries(c, Tier.HOUR, now - policy.hourDays() * DAY, null);
    }

    /** Removes the oldest summarised data while the samples' bytes exceed the budget. */
    private boolean holdBudget(Connection c) throws SQLException {
        if (policy.budgetBytes() <= 0) {
            return false;
        }
        long used = bytes(c);
        if (used <= policy.budgetBytes()) {
            budgetWindow = -1;
            budgetSizeAtGiveUp = -1;
            return false;
        }
        boolean file = Dialect.of(c) == Dialect.H2;
        if (file && !budgetMayGiveUp(used)) {
            return false;
        }
        UnforwardedLoss loss = new UnforwardedLoss(c, outputs.get());
        int n = deleteBlocks(c, "SELECT b.id, LENGTH(b.data), b.n, b.channel_id, b.t_first, b.t_last, b.data FROM"
                + " sample_block b JOIN rollup_progress p ON p.channel_id = b.channel_id AND p.tier = "
                + Tier.MINUTE.ordinal() + " WHERE b.sealed AND b.t_last < p.done ORDER BY b.t_last LIMIT "
                + DELETE_BATCH, rs -> loss.add(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getInt(3),
                        rs.getBytes(7)));
        if (loss.samples() > 0) {
            // retention waits for the outputs; only the budget may take what one has not sent, and says so
            String line = "the disk budget of " + policy.budgetBytes() + " bytes forced the removal of "
                    + loss.samples() + " samples not yet forwarded to every output, recorded from "
                    + instant(loss.fromMicros()) + " to " + instant(loss.toMicros()) + "; no output will send them."
                    + " Raise retention.disk.mb, or bring the outputs back sooner";
            log.warn("store maintenance: {}", line);
            events.accept("retention.unforwarded", line);
        }
        if (n > 0) {
            if (file) {
                budgetFreed += lastDeletedBytes;
                budgetSizeAtGiveUp = used;
                budgetWindowAtGiveUp = windows.done();
            }
            note("retention.budget", (file ? "the database file's " : "samples' ") + used + " bytes over the budget of "
                    + policy.budgetBytes() + ": the oldest summarised raw samples removed");
            return true;
        }
        // nothing raw is summarised yet: give up the oldest minute summaries, then hours
        return deleteOldestSummaries(c, Tier.MINUTE) || deleteOldestSummaries(c, Tier.HOUR);
    }

    /**
     * What the data costs on the disk: for an H2 file its real size (dead space included until the writer's
     * next compaction, within seconds); for a server, the samples' encoded bytes plus an estimate per summary.
     */
    /**
     * Whether an H2 file over the budget may give up data now. It may be over only by dead space, which the
     * writer's compaction windows remove: nothing is given up before a window has passed since it went over,
     * then only about as much as it is over, and more only once the file has shrunk (or a few windows have
     * passed), so that a compaction that lags behind does not cost data that did not need to go.
     */
    private boolean budgetMayGiveUp(long used) {
        long window = windows.done();
        if (budgetWindow < 0) {
            budgetWindow = window;
            budgetFreed = -1;
            budgetSizeAtGiveUp = -1;
            return false;
        }
        if (window == budgetWindow && budgetFreed < 0) {
            return false;
        }
        if (budgetSizeAtGiveUp >= 0 && used >= budgetSizeAtGiveUp && window < budgetWindowAtGiveUp + WINDOWS_TO_SHOW) {
            return false; // what was given up has not shown in the file yet
        }
        if (window != budgetWindow) {
            budgetWindow = window;
            budgetFreed = 0;
        }
        return used - budgetFreed > policy.budgetBytes();
    }

    private long bytes(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (Dialect.of(c) == Dialect.H2) {
                try (ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'info.FILE_SIZE'")) {
                    if (rs.next()) {
                        return Long.parseLong(rs.getString(1));
                    }
                }
            }
            if (blockBytes < 0) {
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(LENGTH(data)), 0), COALESCE(MAX(id), 0)"
                        + " FROM sample_block")) {
                    rs.next();
                    blockBytes = rs.getLong(1);
                    maxBlockId = rs.getLong(2);
                }
            } else {
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(LENGTH(data)), 0), COALESCE(MAX(id), 0)"
                        + " FROM sample_block WHERE id > " + maxBlockId)) {
                    rs.next();
                    blockBytes += rs.getLong(1);
                    maxBlockId = Math.max(maxBlockId, rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM sample_rollup), (SELECT COUNT(*) FROM"
                    + " sample)")) {
                rs.next();
                return blockBytes + SUMMARY_BYTES * (rs.getLong(1) + rs.getLong(2));
            }
        }
    }

    /** What is told of each block given up, before it goes. */
    private interface BlockRow {
        void accept(ResultSet rs) throws SQLException;
    }

    private int deleteBlocks(Connection c, String select) throws SQLException {
        return deleteBlocks(c, select, rs -> { });
    }

    private int deleteBlocks(Connection c, String select, BlockRow each) throws SQLException {
        List<Long> ids = new ArrayList<>();
        long bytes = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
                bytes += rs.getLong(2);
                each.accept(rs);
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sample_block WHERE id = ?")) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (blockBytes >= 0) {
            blockBytes -= bytes;
        }
        lastDeletedBytes = bytes;
        return ids.size();
    }

    /** Rows of a version 1 database before {@code before}, a day at a time (DELETE has no LIMIT everywhere). */
    private static int deleteLegacy(Connection c, int channel, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sample WHERE channel_id = ? AND t < LEAST(?,"
                + " (SELECT MIN(t) FROM sample WHERE channel_id = ?) + " + DAY + ")")) {
            ps.setInt(1, channel);
            ps.setLong(2, before);
            ps.setInt(3, channel);
            return ps.executeUpdate();
        }
    }

    /** Summaries of a tier before {@code before}, but only those the next tier already covers. */
    private boolean deleteSummaries(Connection c, Tier tier, long before, Tier coveredBy) throws SQLException {
        String covered = coveredBy == null ? "" : " AND t < COALESCE((SELECT p.done FROM rollup_progress p WHERE"
                + " p.channel_id = sample_rollup.channel_id AND p.tier = " + coveredBy.ordinal() + "), 0)";
        // a week of them per step
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sample_rollup WHERE tier = ? AND t < LEAST(?,"
                + " (SELECT MIN(t) FROM sample_rollup WHERE tier = ?) + " + 7 * DAY + ")" + covered)) {
            ps.setInt(1, tier.ordinal());
            ps.setLong(2, before);
            ps.setInt(3, tier.ordinal());
            int n = ps.executeUpdate();
            if (n > 0) {
                note("retention." + tier.name().toLowerCase(), n + " " + tier.name().toLowerCase()
                        + " summaries before " + instant(before) + " removed");
            }
            return n > 0;
        }
    }

    private boolean deleteOldestSummaries(Connection c, Tier tier) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sample_rollup WHERE tier = ? AND t <= (SELECT"
                + " MIN(t) FROM sample_rollup WHERE tier = ?) + ?")) {
            ps.setInt(1, tier.ordinal());
            ps.setInt(2, tier.ordinal());
            ps.setLong(3, tier == Tier.MINUTE ? DAY : 30 * DAY);
            int n = ps.executeUpdate();
            if (n > 0) {
                note("retention.budget", "over the budget with no raw samples left to give up: " + n + " oldest "
                        + tier.name().toLowerCase() + " summaries removed");
            }
            return n > 0;
        }
    }

    private void note(String kind, String message) {
        log.info("store maintenance: {}", message);
        events.accept(kind, message);
    }

    private static String instant(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000)
                .toString();
    }
}
