package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import org.postgresql.ds.PGSimpleDataSource;
import org.usblogd.testing.postgres.PostgresServer;

/** What the outputs wrote into a test's PostgreSQL server (usblogd_sample and the rest), read by the test. */
final class ForwardedRows {
    private final PostgresServer server;
    private final String password;

    ForwardedRows(PostgresServer server, String password) {
        this.server = server;
        this.password = password;
    }

    /** The newest sample time of a node's channel (µs), 0 when none or the server is away. */
    long newest(String node, String device, String channel) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT (EXTRACT(EPOCH FROM"
                + " MAX(time)) * 1000000)::BIGINT FROM usblogd_sample WHERE node = ? AND device = ? AND channel = ?")) {
            ps.setString(1, node);
            ps.setString(2, device);
            ps.setString(3, channel);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (Exception e) {
            return 0;
        }
    }

    /** A node's channel before {@code before} (µs): time → value, asserting one row per time. */
    Map<Long, Double> samples(String node, String device, String channel, long before) throws Exception {
        Map<Long, Double> rows = new TreeMap<>();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT (EXTRACT(EPOCH FROM time)"
                + " * 1000000)::BIGINT, value FROM usblogd_sample WHERE node = ? AND device = ? AND channel = ?"
                + " AND time < to_timestamp(? / 1000000.0)")) {
            ps.setString(1, node);
            ps.setString(2, device);
            ps.setString(3, channel);
            ps.setLong(4, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rows.put(rs.getLong(1), rs.getDouble(2))).as("one row per time").isNull();
                }
            }
        }
        rows.keySet().removeIf(t -> t >= before); // to_timestamp's double may round the cut by a microsecond
        return rows;
    }

    long count(String sql) throws Exception {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connection() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        ds.setUser(PostgresServer.USER);
        ds.setPassword(password);
        return ds.getConnection();
    }
}
