package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * The command line's way into the database: through the running daemon's loopback server when there is
 * one, else straight from the file, read-only (H2 would otherwise rewrite the file when it closes it: a
 * command that reads must not write the record).
 */
final class StoreAccess {
    /** A daemon that is starting holds the file before it publishes its server: wait that long for it. */
    private static final long STARTING_DAEMON_WAIT_MS = 10_000;

    private StoreAccess() {
    }

    /** Null when there is no database yet; a state directory that does not exist is an error. */
    static SqlSampleStore open(Path state) throws IOException {
        StoreLocation location = new StoreLocation(state);
        ReadAccess.checkDirectories(state, location);
        if (!Files.isDirectory(state)) {
            throw new IOException(missing(state));
        }
        if (!location.exists()) {
            return null;
        }
        System.setProperty("h2.bindAddress", "127.0.0.1");
        ReadAccess.Login login;
        try {
            login = ReadAccess.login(location);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot read the database credentials: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + STARTING_DAEMON_WAIT_MS * 1_000_000L;
        while (true) {
            Integer port = daemonPort(location);
            if (port != null) {
                JdbcDataSource served = dataSource(location.serverUrl(port), login);
                if (works(served)) {
                    return new SqlSampleStore(served);
                }
                // a port file left by a daemon that was killed is served by nobody: open the file
            }
            JdbcDataSource file = dataSource(location.readOnlyUrl(), login);
            try (Connection c = file.getConnection()) {
                return new SqlSampleStore(file);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1 || System.nanoTime() - deadline > 0) {
                    return new SqlSampleStore(file); // its queries report the error
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the daemon to open the database", e);
            }
        }
    }

    /** What a command that reads says of a state directory that is not there. */
    static String missing(Path state) {
        return "the state directory " + state + " does not exist: no daemon has run there; give the daemon's"
                + " (--state DIR, or USBLOGD_STATE; the installed service's is /var/lib/usblogd)";
    }

    private static JdbcDataSource dataSource(String url, ReadAccess.Login login) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser(login.user());
        ds.setPassword(login.password());
        return ds;
    }

    private static boolean works(JdbcDataSource ds) {
        try (Connection c = ds.getConnection()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Integer daemonPort(StoreLocation location) {
        Path file = location.serverFile();
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Integer.valueOf(Files.readString(file).strip());
        } catch (NumberFormatException | IOException e) {
            System.err.println("usblogd: " + file + " does not hold a port (" + e.getMessage() + "): it was cut short"
                    + " (a power cut while the daemon started?); reading the database file instead");
            return null;
        }
    }
}
