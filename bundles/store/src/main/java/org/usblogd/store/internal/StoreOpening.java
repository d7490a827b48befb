package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.store.jdbc.DurableFile;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;
import org.usblogd.store.jdbc.WriteTransaction;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Opens the store's database, in the order that keeps what it holds. For the embedded H2 file: first
 * read-only, to compare it with its high-water mark before anything is written (a read-write open
 * overwrites what an older version does not reference, so a copy of a file that went back in time is kept
 * as it was found); then, if the last stop was not clean (a power cut, a kill), closed cleanly once and opened
 * again, so that H2 frees the space of the chunks the crash left dead; a file H2 cannot read is moved aside
 * ({@link DatabaseRescue}). Then the pool, the tables and the state a new run starts from.
 */
final class StoreOpening {
    private static final Logger log = LoggerFactory.getLogger(StoreOpening.class);
    /** How long opening may compact after an unclean stop before it leaves the rest to the writer. */
    private static final long COMPACT_AT_OPEN_NANOS = 10_000_000_000L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What opening found and left. */
    record Opened(HikariDataSource pool, int upgradedFrom, Optional<String> rescued, Optional<String> rolledBack,
            Map<String, Long> mark) {
    }

    private StoreOpening() {
    }

    /** A database behind a URL of the user's (a server): no file of ours to look after. */
    static Opened server(DataSourceFactory dsf, String url, String user, String password) throws SQLException {
        try {
            HikariDataSource pool = pool(dsf.createDataSource(properties(url, user, password)));
            return new Opened(pool, schema(pool), Optional.empty(), Optional.empty(), Map.of());
        } catch (SQLException | RuntimeException e) {
            throw new SQLException("cannot open the database " + url + ": " + e.getMessage(), e);
        }
    }

    static Opened embedded(DataSourceFactory dsf, StoreLocation location) throws SQLException, IOException {
        Files.createDirectories(location.directory());
        String password = location.password();
        Optional<String> rolledBack = Optional.empty();
        Map<String, Long> mark = Map.of();
        if (location.exists()) {
            RollbackCheck.Result check = checkReadOnly(dsf, location, password);
            rolledBack = check.lost();
            mark = check.mark();
            if (Files.exists(running(location))) {
                reopenCleanly(dsf, location, password);
            }
        }
        Properties p = properties(location.embeddedUrl(), StoreLocation.USER, password);
        Optional<String> rescued = Optional.empty();
        HikariDataSource pool;
        int upgradedFrom;
        try {
            pool = pool(dsf.createDataSource(p));
            upgradedFrom = schema(pool);
        } catch (SQLException | RuntimeException e) {
            SQLException cause = e instanceof SQLException se ? se : findSql(e);
            if (cause == null || !DatabaseRescue.damaged(cause, location)) {
                throw new SQLException("cannot open the database " + location.databaseFile() + ": " + e.getMessage(), e);
            }
            Path aside = DatabaseRescue.moveAside(location, Instant.now()).orElseThrow();
            String message = "the database " + location.databaseFile() + " could not be opened (" + cause.getMessage()
                    + "); it is kept as " + aside + " and logging goes on in a new database";
            log.error("{}", message);
            rescued = Optional.of(message);
            mark = Map.of();
            pool = pool(dsf.createDataSource(p));
            upgradedFrom = schema(pool);
        }
        reader(pool, location);
        DurableFile.write(running(location), "the daemon has this database open\n", false);
        return new Opened(pool, upgradedFrom, rescued, rolledBack, mark);
    }

    /** A clean stop: the next open need not reclaim anything. */
    static void closed(StoreLocation location) {
        try {
            Files.deleteIfExists(running(location));
            DurableFile.syncDirectory(location.directory());
        } catch (IOException e) {
            log.debug("removing {}: {}", running(location), e.getMessage());
        }
    }

    /** Present while the daemon has the database open: found at open, the last stop was not clean. */
    private static Path running(StoreLocation location) {
        return location.directory().resolve("running");
    }

    private static RollbackCheck.Result checkReadOnly(DataSourceFactory dsf, StoreLocation location, String password)
            throws IOException {
        DataSource readOnly;
        try {
            readOnly = dsf.createDataSource(properties(location.readOnlyUrl(), StoreLocation.USER, password));
        } catch (SQLException e) {
            return new RollbackCheck.Result(Map.of(), Optional.empty());
        }
        RollbackCheck.Result result;
        try {
            result = RollbackCheck.atOpen(readOnly, new HighWaterMark(location.highWaterFile()));
        } catch (SQLException e) {
            // a file that cannot be read is the rescue's to handle, below
            log.debug("read-only check of {}: {}", location.databaseFile(), e.getMessage());
            return new RollbackCheck.Result(Map.of(), Optional.empty());
        }
        if (result.lost().isPresent()) {
            Path copy = location.databaseFile().resolveSibling(location.databaseFile().getFileName() + ".went-back-"
                    + STAMP.format(Instant.now()));
            Files.copy(location.databaseFile(), copy, StandardCopyOption.COPY_ATTRIBUTES);
            log.error("store: the database file as it was found is kept as {}: chunks of the lost version may still"
                    + " be in it", copy);
            return new RollbackCheck.Result(result.mark(), Optional.of(result.lost().get() + "; the file as it was"
                    + " found is kept as " + copy));
        }
        return result;
    }

    /**
     * After an unclean stop: closed cleanly once (H2 then frees the chunks the crash left dead, which it may
     * otherwise keep for the whole next run), opened again and compacted while nothing else writes, for at
     * most {@link #COMPACT_AT_OPEN_NANOS}; the writer's windows do the rest while the daemon runs.
     */
    private static void reopenCleanly(DataSourceFactory dsf, StoreLocation location, String password) {
        long size = size(location);
        log.info("store: the last stop was not clean (a power cut or a kill): reclaiming the space the crash left"
                + " in {} ({} bytes)", location.databaseFile(), size);
        try {
            DataSource ds = dsf.createDataSource(properties(location.embeddedUrl(), StoreLocation.USER, password));
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                FileCompaction compaction = new FileCompaction(1, System.nanoTime());
                long until = System.nanoTime() + COMPACT_AT_OPEN_NANOS;
                long before;
                do {
                    before = fileSize(s);
                    s.execute("CHECKPOINT SYNC");
                    compaction.compact(c, System.nanoTime());
                    s.execute("CHECKPOINT SYNC");
                } while (fileSize(s) < before && System.nanoTime() - until < 0);
                s.execute("SHUTDOWN");
            }
            log.info("store: {} is {} bytes now", location.databaseFile(), size(location));
        } catch (SQLException e) {
            log.debug("reclaiming space after an unclean stop: {}", e.getMessage()); // opening below says what is wrong
        }
    }

    /**
     * The user the reading commands of the daemon's group use: it may select from every table and nothing else.
     * Its password is set at every open, so that a removed or replaced file is made good by a restart.
     */
    private static void reader(HikariDataSource pool, StoreLocation location) throws SQLException, IOException {
        String password = location.readerPassword();
        try (Connection c = pool.getConnection()) {
            // one after the other: H2 resolves the user when a statement is prepared
            try (java.sql.PreparedStatement create = c.prepareStatement(
                    "CREATE USER IF NOT EXISTS " + StoreLocation.READER + " PASSWORD ?")) {
                create.setString(1, password);
                create.execute();
            }
            try (java.sql.PreparedStatement set = c.prepareStatement(
                    "ALTER USER " + StoreLocation.READER + " SET PASSWORD ?")) {
                set.setString(1, password);
                set.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + StoreLocation.READER);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static long fileSize(Statement s) throws SQLException {
        try (java.sql.ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.FILE_SIZE'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        }
    }

    private static long size(StoreLocation location) {
        try {
            return Files.size(location.databaseFile());
        } catch (IOException e) {
            return -1;
        }
    }

    /** Creates or upgrades the tables; closes the pool when that fails. */
    private static int schema(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            int upgradedFrom = Schema.ensure(c);
            WriteTransaction.atOpen(c);
            return upgradedFrom;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static Properties properties(String url, String user, String password) {
        Properties p = new Properties();
        p.setProperty(DataSourceFactory.JDBC_URL, url);
        p.setProperty(DataSourceFactory.JDBC_USER, user);
        p.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
        return p;
    }

    private static SQLException findSql(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SQLException se) {
                return se;
            }
        }
        return null;
    }

    private static HikariDataSource pool(DataSource raw) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(raw);
        hc.setPoolName("usblogd-store");
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(1);
        return new HikariDataSource(hc);
    }
}
