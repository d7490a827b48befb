package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * The command line's way into the database: through the running daemon's loopback server when there is
 * one, else straight from the file.
 */
final class StoreAccess {
    private StoreAccess() {
    }

    /** Null when there is no database yet. */
    static SqlSampleStore open(Path state) throws IOException {
        StoreLocation location = new StoreLocation(state);
        if (!location.exists()) {
            return null;
        }
        System.setProperty("h2.bindAddress", "127.0.0.1");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        Integer port = daemonPort(location);
        if (port != null) {
            ds.setURL(location.serverUrl(port));
            try (Connection c = ds.getConnection()) {
                return new SqlSampleStore(ds);
            } catch (SQLException e) {
                // a port file left by a daemon that was killed: nobody serves it, open the file
            }
        }
        ds.setURL("jdbc:h2:file:" + location.databasePath() + ";IFEXISTS=TRUE");
        return new SqlSampleStore(ds);
    }

    private static Integer daemonPort(StoreLocation location) throws IOException {
        Path file = location.serverFile();
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Integer.valueOf(Files.readString(file).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
