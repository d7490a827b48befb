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
}
