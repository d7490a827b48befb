package org.usblogd.store.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.SqlSampleStore;

/**
 * At open: whether the database holds everything its high-water mark says was synced. If not, the file
 * opened at an older version than the last one forced to the disk (after a power cut, say), and what was
 * lost is said once, in the log and as a {@code store.rollback} event; the mark then starts from what the
 * database holds, so that the loss is not reported again at the next start.
 */
final class RollbackCheck {
    private static final Logger log = LoggerFactory.getLogger(RollbackCheck.class);

    /** The mark the writer goes on from, and what to record, if anything was lost. */
    record Result(Map<String, Long> mark, Optional<String> lost) {
    }

    private RollbackCheck() {
    }

    static Result atOpen(DataSource ds, HighWaterMark mark) throws SQLException {
        Map<String, Long> synced;
        try {
            synced = new HashMap<>(mark.read());
        } catch (IOException e) {
            log.warn("store: {}; whether the database went back in time cannot be checked at this start", e.getMessage());
            return new Result(Map.of(), Optional.empty());
        }
        List<HighWaterMark.Loss> losses;
        try (Connection c = ds.getConnection()) {
            losses = HighWaterMark.check(c, synced);
        }
        if (losses.isEmpty()) {
            return new Result(synced, Optional.empty());
        }
        String what = losses.stream().map(l -> l.device() + " " + l.channel() + " from "
                + (l.databaseEnds() == Long.MIN_VALUE ? "its first sample" : SqlSampleStore.instant(l.databaseEnds()))
                + " to " + SqlSampleStore.instant(l.syncedUpTo())).collect(Collectors.joining(", "));
        String message = "the database opened at an older version than the one last forced to the disk: samples"
                + " that were safely stored are missing (" + what + "); they are lost, logging goes on";
        log.error("store: {}", message);
        for (HighWaterMark.Loss l : losses) {
            String key = l.device() + '\t' + l.channel();
            if (l.databaseEnds() == Long.MIN_VALUE) {
                synced.remove(key);
            } else {
                synced.put(key, l.databaseEnds());
            }
        }
        try {
            mark.write(synced);
        } catch (IOException e) {
            log.warn("store: cannot write its high-water mark {}: {}; the loss may be said again", mark.file(),
                    e.getMessage());
        }
        return new Result(synced, Optional.of(message));
    }
}
