package org.usblogd.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the store had forced to the disk, kept outside the database file: for each channel the time of its
 * newest synced sample, written (durably) after every sync that moved one. A database file can open at an
 * older version than the one last synced (H2 falls back to an older chunk when it cannot validate the newest
 * one); checked at every open, this mark turns such a rollback from silent into one log line and one event
 * that say which channels lost which span.
 *
 * <p>File format, UTF-8, one line per channel: {@code device-key TAB channel TAB micros}, after a first line
 * {@code usblogd high-water 1}.
 */
public final class HighWaterMark {
    private static final String HEADER = "usblogd high-water 1";

    /** A channel that ends earlier in the database than what was synced. */
    public record Loss(String device, String channel, long databaseEnds, long syncedUpTo) {
    }

    private final Path file;
    private Map<String, Long> written = Map.of();

    public HighWaterMark(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The mark as last written: key {@code device TAB channel}, value micros; empty when there is none. */
    public Map<String, Long> read() throws IOException {
        Map<String, Long> mark = new TreeMap<>();
        if (!Files.exists(file)) {
            return mark;
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !HEADER.equals(lines.get(0))) {
            throw new IOException(file + " is not a high-water mark of this version (first line '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'); delete it and usblogd writes a new one");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IOException(file + ": line '" + line + "' is not 'device TAB channel TAB micros'");
            }
            try {
                mark.put(f[0] + '\t' + f[1], Long.parseLong(f[2]));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": '" + f[2] + "' is not a time in microseconds", e);
            }
        }
        written = Map.copyOf(mark);
        return mark;
    }

    /** Writes the mark if it changed since the last write or read; durable when it returns. */
    public void write(Map<String, Long> mark) throws IOException {
        if (mark.equals(written)) {
            return;
        }
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(mark).forEach((key, t) -> s.append(key).append('\t').append(t).append('\n'));
        DurableFile.write(file, s.toString(), false);
        written = Map.copyOf(mark);
    }

    /**
     * The channels whose data in the database ends before the mark. Raw samples that maintenance removed
     * after summarising them do not count as lost: a channel's end is its newest block or row, or the end of
     * its summarised minutes, whichever is later.
     */
    public static List<Loss> check(Connection c, Map<String, Long> mark) throws SQLException {
        if (mark.isEmpty()) {
            return List.of();
        }
        Map<String, Long> ends = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT d.device_key, c.name,"
                + " GREATEST(COALESCE((SELECT MAX(b.t_last) FROM sample_block b WHERE b.channel_id = c.id), "
                + Long.MIN_VALUE + "), COALESCE((SELECT MAX(r.t) FROM sample r WHERE r.channel_id = c.id), "
                + Long.MIN_VALUE + "), COALESCE((SELECT p.done - 1 FROM rollup_progress p WHERE p.channel_id = c.id"
                + " AND p.tier = 1), " + Long.MIN_VALUE + ")) FROM channel c JOIN device d ON c.device_id = d.id")) {
            while (rs.next()) {
                // a channel has a row per unit it was recorded in: its end is the latest of them
                ends.merge(rs.getString(1) + '\t' + rs.getString(2), rs.getLong(3), Math::max);
            }
        }
        List<Loss> losses = new ArrayList<>();
        mark.forEach((key, synced) -> {
            long end = ends.getOrDefault(key, Long.MIN_VALUE);
            if (end < synced) {
                int tab = key.indexOf('\t');
                losses.add(new Loss(key.substring(0, tab), key.substring(tab + 1), end, synced));
            }
        });
        return losses;
    }
}
