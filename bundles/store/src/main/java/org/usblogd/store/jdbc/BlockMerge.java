package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

import org.usblogd.api.store.StoredSample;

/**
 * One query's samples in time order, streamed: block rows are listed by their first time (metadata only)
 * and each block is fetched and decoded just before its first sample is due, so memory holds one decoded
 * block per channel whose blocks overlap the current time, whatever the range. Rows of a version 1
 * database join the merge as one more stream. A damaged block is skipped and said, not fatal.
 */
public final class BlockMerge {
    private static final int FETCH_SIZE = 1_000;
    private static final Comparator<Cursor> ORDER = Comparator.comparingLong(Cursor::time)
            .thenComparing(Cursor::device).thenComparing(Cursor::channel);

    private interface Cursor {
        long time();

        String device();

        String channel();

        /**
         * Gives the sample at the cursor and those after it that come before {@code bound}, as one run, and
         * moves past them; returns how many.
         */
        int emit(long bound, SampleRuns out) throws SQLException;

        boolean exhausted();
    }

    private static final class BlockCursor implements Cursor {
        final String device;
        final String channel;
        final String unit;
        final long[] times;
        final double[] values;
        final Long to;
        int i;

        BlockCursor(String device, String channel, String unit, BlockCodec.Block b, Long from, Long to) {
            this.device = device;
            this.channel = channel;
            this.unit = unit;
            this.times = b.times();
            this.values = b.values();
            this.to = to;
            while (from != null && i < times.length && times[i] < from) {
                i++;
            }
        }

        @Override
        public long time() {
            return times[i];
        }

        @Override
        public String device() {
            return device;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public int emit(long bound, SampleRuns out) {
            int end = i + 1;
            int last = times.length;
            while (end < last && times[end] < bound && (to == null || times[end] < to)) {
                end++;
            }
            int start = i;
            i = end;
            out.run(device, channel, unit, times, values, start, end);
            return end - start;
        }

        @Override
        public boolean exhausted() {
            return i >= times.length || to != null && times[i] >= to;
        }
    }

    /** The rows of a version 1 database, already in time order. */
    private static final class RowCursor implements Cursor {
        final ResultSet rs;
        boolean more;

        RowCursor(ResultSet rs) throws SQLException {
            this.rs = rs;
            this.more = rs.next();
        }

        @Override
        public long time() {
            try {
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String device() {
            try {
                return rs.getString(2);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String channel() {
            try {
                return rs.getString(3);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** One row: the next may be of another channel. */
        @Override
        public int emit(long bound, SampleRuns out) throws SQLException {
            long[] t = { rs.getLong(1) };
            double[] v = { rs.getDouble(4) };
            String device = rs.getString(2);
            String channel = rs.getString(3);
            String unit = rs.getString(5);
            more = rs.next();
            out.run(device, channel, unit, t, v, 0, 1);
            return 1;
        }

        @Override
        public boolean exhausted() {
            return !more;
        }
    }

    private final Connection c;
    private final List<String> devices;
    private final List<String> channels;
    private final Integer channelRow;
    private final Long from;
    private final Long to;

    /**
     * Samples of these devices' channels of these names (every unit each was recorded in); an empty list does
     * not restrict.
     */
    public BlockMerge(Connection c, List<String> devices, List<String> channels, Long from, Long to) {
        this(c, List.copyOf(devices), List.copyOf(channels), null, from, to);
    }

    private BlockMerge(Connection c, List<String> devices, List<String> channels, Integer channelRow, Long from,
            Long to) {
        this.c = c;
        this.devices = devices;
        this.channels = channels;
        this.channelRow = channelRow;
        this.from = from;
        this.to = to;
    }

    /** The samples of one channel row: a channel in one of the units it was recorded in ({@link Schema}). */
    public static BlockMerge ofRow(Connection c, int channelRow, Long from, Long to) {
        return new BlockMerge(c, List.of(), List.of(), channelRow, from, to);
    }

    public long run(Consumer<StoredSample> out) throws SQLException {
        return run((device, channel, unit, t, v, from, to) -> {
            for (int i = from; i < to; i++) {
                out.accept(new StoredSample(t[i], device, channel, v[i], unit));
            }
        });
    }

    /** The samples in time order as runs of one channel's, without an object per sample. */
    public long run(SampleRuns out) throws SQLException {
        // one channel row: a plain key the database finds through its index
        String filter = channelRow != null ? " WHERE c.id = ?"
                : " WHERE " + SqlSampleStore.oneOf("d.device_key", devices) + " AND " + SqlSampleStore.oneOf("c.name",
                        channels);
        String blocks = "SELECT b.id, b.t_first, d.device_key, c.name, c.unit FROM sample_block b"
                + " JOIN channel c ON b.channel_id = c.id JOIN device d ON c.device_id = d.id" + filter
                + " AND (CAST(? AS BIGINT) IS NULL OR b.t_last >= ?) AND (CAST(? AS BIGINT) IS NULL OR b.t_first < ?)"
                + " ORDER BY b.t_first, b.id";
        String rows = "SELECT s.t, d.device_key, c.name, s.v, c.unit FROM sample s"
                + " JOIN channel c ON s.channel_id = c.id JOIN device d ON c.device_id = d.id" + filter
                + " AND (CAST(? AS BIGINT) IS NULL OR s.t >= ?) AND (CAST(? AS BIGINT) IS NULL OR s.t < ?)"
                + " ORDER BY s.t, d.device_key, c.name";
        try (PreparedStatement listBlocks = c.prepareStatement(blocks);
                PreparedStatement readBlock = c.prepareStatement("SELECT data FROM sample_block WHERE id = ?");
                PreparedStatement listRows = c.prepareStatement(rows)) {
            bind(listBlocks);
            bind(listRows);
            listBlocks.setFetchSize(FETCH_SIZE);
            listRows.setFetchSize(FETCH_SIZE);
            PriorityQueue<Cursor> active = new PriorityQueue<>(ORDER);
            long n = 0;
            try (ResultSet meta = listBlocks.executeQuery(); ResultSet legacy = listRows.executeQuery()) {
                RowCursor old = new RowCursor(legacy);
                if (!old.exhausted()) {
                    active.add(old);
                }
                boolean moreMeta = meta.next();
                long nextBlockStarts = moreMeta ? meta.getLong(2) : Long.MAX_VALUE;
                while (true) {
                    // open every block that starts before the earliest sample still to come
                    while (moreMeta && (active.isEmpty() || nextBlockStarts <= active.peek().time())) {
                        BlockCursor b = open(readBlock, meta);
                        if (b != null && !b.exhausted()) {
                            active.add(b);
                        }
                        moreMeta = meta.next();
                        nextBlockStarts = moreMeta ? meta.getLong(2) : Long.MAX_VALUE;
                    }
                    Cursor next = active.poll();
                    if (next == null) {
                        return n;
                    }
                    // the earliest cursor goes on alone while it is strictly ahead of every other one and of every
                    // block not opened yet: two queue operations a sample took about half of reading a channel
                    // (bench/http, a channel-month: 3.9 s before, 1.9 s after); a tie goes back to the queue, which
                    // orders it
                    long bound = Math.min(active.isEmpty() ? Long.MAX_VALUE : active.peek().time(), nextBlockStarts);
                    n += next.emit(bound, out);
                    if (!next.exhausted()) {
                        active.add(next);
                    }
                }
            }
        }
    }

    private BlockCursor open(PreparedStatement readBlock, ResultSet meta) throws SQLException {
        readBlock.setLong(1, meta.getLong(1));
        try (ResultSet rs = readBlock.executeQuery()) {
            if (!rs.next()) {
                return null; // removed meanwhile (retention)
            }
            try {
                return new BlockCursor(meta.getString(3), meta.getString(4), meta.getString(5),
                        BlockCodec.decode(rs.getBytes(1)), from, to);
            } catch (IllegalArgumentException e) {
                org.slf4j.LoggerFactory.getLogger(BlockMerge.class).error("sample block {} of {} {} is damaged and"
                        + " skipped: {}", meta.getLong(1), meta.getString(3), meta.getString(4), e.getMessage());
                return null;
            }
        }
    }

    private void bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        if (channelRow != null) {
            ps.setInt(i++, channelRow);
        } else {
            i = SqlSampleStore.bindAll(ps, i, devices);
            i = SqlSampleStore.bindAll(ps, i, channels);
        }
        SqlSampleStore.bindTwice(ps, i, from);
        SqlSampleStore.bindTwice(ps, i + 2, to);
    }
}
