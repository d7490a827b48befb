package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Random;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

class DatabaseRescueTest {
    @TempDir
    Path state;

    private JdbcDataSource dataSource(StoreLocation location) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        return ds;
    }

    @Test
    void aFileH2CannotReadIsMovedAsideKeptAndANewOneStarted() throws Exception {
        StoreLocation location = new StoreLocation(state);
        Files.createDirectories(location.directory());
        byte[] garbage = new byte[64 * 1024];
        new Random(1).nextBytes(garbage);
        Files.write(location.databaseFile(), garbage);

        SQLException e = catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = dataSource(location).getConnection()) {
                Schema.ensure(c);
            }
        });
        assertThat(DatabaseRescue.damaged(e, location)).as("%s (%d)", e.getMessage(), e.getErrorCode()).isTrue();
        Path aside = DatabaseRescue.moveAside(location, Instant.parse("2026-11-25T12:00:00Z")).orElseThrow();

        assertThat(aside.getFileName().toString()).isEqualTo("usblogd.mv.db.damaged-20261125T120000Z");
        assertThat(Files.readAllBytes(aside)).as("kept as it was").isEqualTo(garbage);
        try (Connection c = dataSource(location).getConnection()) {
            assertThat(Schema.ensure(c)).isZero();
        }
        assertThat(location.databaseFile()).exists();
    }

    @Test
    void aFileOfANewerUsblogdOrAWrongPasswordIsNotDamage() throws Exception {
        StoreLocation location = new StoreLocation(state);
        try (Connection c = dataSource(location).getConnection(); var s = c.createStatement()) {
            Schema.ensure(c);
            s.execute("UPDATE schema_version SET version = 99");
        }
        SQLException newer = catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = dataSource(location).getConnection()) {
                Schema.ensure(c);
            }
        });
        assertThat(DatabaseRescue.damaged(newer, location)).isFalse();

        JdbcDataSource wrong = dataSource(location);
        wrong.setPassword("not it");
        SQLException password = catchThrowableOfType(SQLException.class, wrong::getConnection);
        assertThat(DatabaseRescue.damaged(password, location)).isFalse();
    }

    @Test
    void aPoolThatTimesOutIsNotDamage() throws Exception {
        StoreLocation location = new StoreLocation(state);
        try (Connection c = dataSource(location).getConnection()) {
            Schema.ensure(c);
        }
        com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
        hc.setDataSource(dataSource(location));
        hc.setMaximumPoolSize(1);
        hc.setConnectionTimeout(250);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(hc);
                Connection busy = pool.getConnection()) {
            SQLException timeout = catchThrowableOfType(SQLException.class, pool::getConnection);
            assertThat(DatabaseRescue.damaged(timeout, location)).as("%s", timeout.getMessage()).isFalse();
        }
    }

    @Test
    void aFileThatCannotBeReachedIsNotDamageButOneThatEndsTooSoonIs() throws Exception {
        StoreLocation location = new StoreLocation(state);
        Files.createDirectories(location.databaseFile()); // as unreachable as a file without permission
        SQLException unreachable = catchThrowableOfType(SQLException.class, () -> dataSource(location).getConnection());
        assertThat(DatabaseRescue.damaged(unreachable, location)).as("%s", unreachable.getMessage()).isFalse();
        Files.delete(location.databaseFile());

        try (Connection c = dataSource(location).getConnection(); var s = c.createStatement()) {
            Schema.ensure(c);
            s.execute("INSERT INTO event(t, kind) SELECT X, 'filler' FROM SYSTEM_RANGE(1, 2000)");
        }
        byte[] whole = Files.readAllBytes(location.databaseFile());
        Files.write(location.databaseFile(), java.util.Arrays.copyOf(whole, 5_000));
        SQLException truncated = catchThrowableOfType(SQLException.class, () -> dataSource(location).getConnection());
        assertThat(DatabaseRescue.damaged(truncated, location)).as("%s", truncated.getMessage()).isTrue();
    }
}
