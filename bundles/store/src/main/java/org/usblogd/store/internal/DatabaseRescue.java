package org.usblogd.store.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.usblogd.store.jdbc.StoreLocation;

/**
 * What to do when the database file cannot be opened. Recovery never deletes or rewrites it: a file H2
 * cannot read is moved aside under a name that says when, and kept for the user; the store starts a new
 * one. A file that is merely in use, locked by another process, or written by a newer H2 is not damaged
 * and is left where it is (the store then fails to start with H2's message).
 */
final class DatabaseRescue {
    /** H2's code for a file whose records it cannot read. */
    private static final int FILE_CORRUPTED = 90030;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private DatabaseRescue() {
    }

    /**
     * Whether the failure to open says the file itself cannot be read: H2 found its records corrupt, or the
     * file ends before its own structure does. Anything else (a full or read-only disk, a missing permission,
     * a lock, a pool that timed out, a wrong password, a newer version's file) is no reason to touch the
     * file: moving a healthy database aside would hide the user's data behind an empty one.
     */
    static boolean damaged(SQLException e, StoreLocation location) {
        if (!Files.isRegularFile(location.databaseFile()) || e instanceof SQLTransientException
                || StorageDiagnosis.of(location.directory()).isPresent()) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se && se.getErrorCode() == FILE_CORRUPTED || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** Moves the file aside; returns where it went. */
    static Optional<Path> moveAside(StoreLocation location, Instant now) throws IOException {
        Path file = location.databaseFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(now));
        Files.move(file, aside);
        // the mark belongs to the file: a new database starts without one
        Path mark = location.highWaterFile();
        if (Files.exists(mark)) {
            Files.move(mark, mark.resolveSibling(mark.getFileName() + ".damaged-" + STAMP.format(now)));
        }
        return Optional.of(aside);
    }
}
