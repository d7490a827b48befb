package org.usblogd.store.internal;

import java.nio.file.Path;
import java.sql.Connection;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

/** A real H2 file in a state directory, opened as the daemon opens it, with the store's tables. */
final class TestDatabase {
    private TestDatabase() {
    }

    static JdbcDataSource in(Path state) throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        try (Connection c = ds.getConnection()) {
            Schema.ensure(c);
        }
        return ds;
    }
}
