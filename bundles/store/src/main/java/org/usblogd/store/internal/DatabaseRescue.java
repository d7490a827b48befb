package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
    /** H2 error codes that do not mean a damaged file. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int WRONG_USER_OR_PASSWORD = 28000;
    private static final int FILE_VERSION_ERROR = 90048;
    private static final int NEWER_SCHEMA = 0;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private DatabaseRescue() {
    }

    /** Whether the failure to open says the file itself cannot be read. */
    static boolean damaged(SQLException e, StoreLocation location) {
        int code = e.getErrorCode();
        if (code == DATABASE_ALREADY_OPEN || code == WRONG_USER_OR_PASSWORD || code == FILE_VERSION_ERROR
                || code == NEWER_SCHEMA && String.valueOf(e.getMessage()).contains("newer usblogd")) {
            return false;
        }
        return Files.exists(location.databaseFile());
    }

    /** Moves the file aside; returns where it went. */
    static Optional<Path> moveAside(StoreLocation location, Instant now) throws IOException {
        Path file = location.databaseFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(now));
        Files.move(file, aside);
        return Optional.of(aside);
    }
}
