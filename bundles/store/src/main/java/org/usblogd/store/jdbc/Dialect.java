package org.usblogd.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The few things the store does differently on H2 and on PostgreSQL. */
public enum Dialect {
    H2("VARBINARY(16777216)", "CHECKPOINT SYNC"),
    /** The server makes each commit durable itself (fsync on commit), so there is nothing to force. */
    POSTGRESQL("BYTEA", null);

    private final String binaryType;
    private final String sync;

    Dialect(String binaryType, String sync) {
        this.binaryType = binaryType;
        this.sync = sync;
    }

    public static Dialect of(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
    }

    String binaryType() {
        return binaryType;
    }

    /** Whether committed data still has to be forced to the disk before a power cut cannot take it. */
    public boolean needsSync() {
        return sync != null;
    }

    /** Whether the file is compacted by the writer right after a sync (an H2 file that never reuses space). */
    public boolean compactsAfterSync() {
        return this == H2;
    }

    /** Forces what is committed to the disk; nothing where the database does that at each commit. */
    public void sync(Connection c) throws SQLException {
        if (sync == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(sync);
        }
    }
}
