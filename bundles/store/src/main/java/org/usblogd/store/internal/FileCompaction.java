package org.usblogd.store.internal;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.SQLException;

import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Keeps an H2 file that never reuses space in place (REUSE_SPACE=FALSE, see the store's URL) from growing
 * without bound: in a short window right after a sync, when nothing the synced version needs can be
 * overwritten, H2 may move live chunks into the space of dead ones and cut the dead tail off the file; the
 * caller syncs again afterwards. H2 reclaims space on its own only in a background writer (off with
 * WRITE_DELAY=0) or when the database closes, and its SQL has no online compaction, so this reaches its
 * MVStore: from the JDBC connection through the session and the database, whose packages H2 does not export
 * to other bundles (hence reflection for those three calls).
 */
final class FileCompaction {
    /** Compact chunks whose live share fell below this. */
    private static final int CHUNK_FILL_PERCENT = 80;
    /** Bytes of live pages rewritten per window at most. */
    private static final int REWRITE_BYTES = 1 << 20;
    /** Bytes of chunks moved from the end of the file into holes per window at most. */
    private static final long MOVE_BYTES = 16L << 20;

    private final long everyNanos;
    private long last;

    FileCompaction(long everyMs, long nowNanos) {
        this.everyNanos = everyMs * 1_000_000L;
        this.last = nowNanos;
    }

    boolean due(long nowNanos) {
        return everyNanos > 0 && nowNanos - last >= everyNanos;
    }

    /** One window, on a connection with nothing uncommitted; the caller syncs afterwards. */
    void compact(Connection c, long nowNanos) throws SQLException {
        last = nowNanos;
        MVStore store = store(c);
        FileStore<?> file = store.getFileStore();
        store.setReuseSpace(true);
        try {
            store.compact(CHUNK_FILL_PERCENT, REWRITE_BYTES);
            if (file instanceof RandomAccessStore r) {
                r.compactMoveChunks(100, MOVE_BYTES, store);
            }
        } finally {
            store.setReuseSpace(false);
        }
    }

    private static MVStore store(Connection c) throws SQLException {
        try {
            Object session = JdbcConnection.class.getMethod("getSession").invoke(c.unwrap(JdbcConnection.class));
            Object database = session.getClass().getMethod("getDatabase").invoke(session);
            Object store = database.getClass().getMethod("getStore").invoke(database);
            return (MVStore) store.getClass().getMethod("getMvStore").invoke(store);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | ClassCastException e) {
            throw new SQLException("cannot reach H2's file store to compact it (" + e + "); this H2 version differs"
                    + " from the one usblogd was built for", e);
        }
    }
}
