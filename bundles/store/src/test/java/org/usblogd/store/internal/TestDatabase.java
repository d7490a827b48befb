package org.usblogd.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * A real H2 file in a state directory, opened as the daemon opens it, with the store's tables; and what a test
 * reads back of its events.
 */
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

    /** The messages of the stored events of that kind, oldest first. */
    static List<String> eventMessages(DataSource ds, String kind) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                var ps = c.prepareStatement("SELECT message FROM event WHERE kind = ? ORDER BY id")) {
            ps.setString(1, kind);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
