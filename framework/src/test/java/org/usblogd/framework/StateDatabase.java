package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.StoreLocation;

/** The store's database in a state directory, opened as the daemon opens it, for a test to fill in. */
final class StateDatabase {
    private StateDatabase() {
    }

    static Connection open(Path state) throws SQLException, IOException {
        StoreLocation db = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(db.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(db.password());
        return ds.getConnection();
    }
}
