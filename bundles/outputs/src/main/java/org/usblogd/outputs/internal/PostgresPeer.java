package org.usblogd.outputs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * A PostgreSQL database several loggers share: each logger's rows carry its {@code node}, and every row is keyed
 * so that a batch sent again (after a crash between the peer's commit and the cursor's) adds nothing. The tables
 * are named {@code usblogd_*} so that they never meet the store's own tables when the store runs on the same
 * database.
 */
final class PostgresPeer implements Peer {
    /** Opens a new connection to the database. */
    interface Connector {
        Connection open() throws SQLException;
    }

    static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS usblogd_device(node TEXT NOT NULL, device TEXT NOT NULL, vid_pid TEXT,"
                    + " first_forwarded TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY(node, device))",
            "CREATE TABLE IF NOT EXISTS usblogd_channel(node TEXT NOT NULL, device TEXT NOT NULL, channel TEXT NOT NULL,"
                    + " unit TEXT NOT NULL, PRIMARY KEY(node, device, channel, unit))",
            "CREATE TABLE IF NOT EXISTS usblogd_sample(node TEXT NOT NULL, device TEXT NOT NULL, channel TEXT NOT NULL,"
                    + " time TIMESTAMPTZ NOT NULL, value DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL,"
                    + " PRIMARY KEY(node, device, channel, time))",
            // the time is part of the key: a logger whose database was moved aside (damaged) numbers its events
            // from 1 again, and those must not be taken for ones already sent
            "CREATE TABLE IF NOT EXISTS usblogd_event(node TEXT NOT NULL, id BIGINT NOT NULL, time TIMESTAMPTZ NOT NULL,"
                    + " device TEXT, kind TEXT NOT NULL, message TEXT, PRIMARY KEY(node, id, time))");

    private final Connector connector;
    private final String node;
    /** Volatile for {@link #abort()} alone: only the output's thread opens and uses it. */
    private volatile Connection connection;
    /** Devices and channels this connection has written rows for: each is upserted once per connection. */
    private final Set<String> described = new LinkedHashSet<>();
    /** Those the transaction under way writes: described once it commits. */
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean hypertable;

    PostgresPeer(Connector connector, String node) {
        this.connector = connector;
        this.node = node;
    }

    @Override
    public void connect() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection c = connector.open();
        try {
            c.setAutoCommit(false);
            schema(c);
        } catch (SQLException | RuntimeException e) {
            quietly(c);
            throw e;
        }
        connection = c;
        described.clear();
    }

    /** Whether the sample table is a TimescaleDB hypertable (only where the extension is installed). */
    boolean hypertable() {
        return hypertable;
    }

    private void schema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // only what is missing: PostgreSQL checks the right to create in the schema before it looks whether
            // the table exists, so a user allowed to insert only would fail every connect on IF NOT EXISTS
            for (String ddl : DDL) {
                String table = ddl.substring("CREATE TABLE IF NOT EXISTS ".length(), ddl.indexOf('('));
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NULL")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        s.execute(ddl);
                    }
                }
            }
            boolean timescale;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
                timescale = rs.next();
            }
            if (timescale && !isHypertable(s)) {
                // a hypertable partitions by time, which is what Grafana's range queries read; plain PostgreSQL
                // serves the same table as an ordinary one
                s.execute("SELECT create_hypertable('usblogd_sample', 'time', if_not_exists => TRUE,"
                        + " migrate_data => TRUE)");
            }
            hypertable = timescale;
        }
        c.commit();
    }

    private static boolean isHypertable(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM timescaledb_information.hypertables"
                + " WHERE hypertable_name = 'usblogd_sample'")) {
            return rs.next();
        }
    }

    /** PostgreSQL's text takes no NUL, which H2 stores: a USB string or message with one would be refused for ever. */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", "");
    }

    @Override
    public void send(Batch batch) throws SQLException {
        connect();
        Connection c = connection;
        try {
            describe(c, batch);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usblogd_sample(node, device, channel, time,"
                    + " value, unit) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (StoredSample s : batch.samples()) {
                    ps.setString(1, node);
                    ps.setString(2, text(s.device()));
                    ps.setString(3, text(s.channel()));
                    ps.setObject(4, time(s.timeMicros()));
                    ps.setDouble(5, s.value());
                    ps.setString(6, text(s.unit()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usblogd_event(node, id, time, device, kind,"
                    + " message) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (StoredEvent e : batch.events()) {
                    ps.setString(1, node);
                    ps.setLong(2, e.id());
                    ps.setObject(3, time(e.timeMicros()));
                    ps.setString(4, text(e.device()));
                    ps.setString(5, text(e.kind()));
                    ps.setString(6, text(e.message()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            described.addAll(pending);
            pending.clear();
        } catch (SQLException | RuntimeException e) {
            close(); // whatever state the connection is in, the next batch starts on a new one
            throw e;
        }
    }

    private void describe(Connection c, Batch batch) throws SQLException {
        Set<String> devices = new LinkedHashSet<>();
        Set<List<String>> channels = new LinkedHashSet<>();
        batch.samples().forEach(s -> {
            devices.add(s.device());
            channels.add(List.of(s.device(), s.channel(), s.unit()));
        });
        batch.events().forEach(e -> {
            if (e.device() != null) {
                devices.add(e.device());
            }
        });
        devices.removeIf(d -> described.contains("d " + d));
        channels.removeIf(ch -> described.contains("c " + ch));
        if (!devices.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usblogd_device(node, device, vid_pid)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String d : devices) {
                    ps.setString(1, node);
                    ps.setString(2, text(d));
                    int at = d.indexOf('@');
                    ps.setString(3, at == 9 ? d.substring(0, 9) : null); // keys start with VID:PID
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!channels.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usblogd_channel(node, device, channel, unit)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (List<String> ch : channels) {
                    ps.setString(1, node);
                    ps.setString(2, text(ch.get(0)));
                    ps.setString(3, text(ch.get(1)));
                    ps.setString(4, text(ch.get(2)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        // remembered only once committed: a rolled back transaction takes the rows with it
        devices.forEach(d -> pending.add("d " + d));
        channels.forEach(ch -> pending.add("c " + ch));
    }

    @Override
    public void abort() {
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // the thread's own close follows
            }
        }
    }

    @Override
    public boolean connected() {
        return connection != null;
    }

    @Override
    public void close() {
        pending.clear();
        if (connection != null) {
            quietly(connection);
            connection = null;
        }
    }

    private static OffsetDateTime time(long micros) {
        return OffsetDateTime.ofInstant(Micros.toInstant(micros), ZoneOffset.UTC);
    }

    private static void quietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the connection is given up either way; the failure that led here is what gets reported
        }
    }
}
