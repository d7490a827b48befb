package org.usblogd.outputs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Failures are grouped by what the user does about them, whatever code PostgreSQL's driver gives. */
class FailureLogTest {

    @Test
    void aServerRefusingConnectionsAndOneStillStartingUpAreOneOutage() {
        String refused = PostgresFailures.kindOf(new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
                new ConnectException("Connection refused")));
        String startingUp = PostgresFailures.kindOf(new SQLException("FATAL: the database system is starting up", "57P03"));
        String shuttingDown = PostgresFailures.kindOf(new SQLException("FATAL: terminating connection due to administrator"
                + " command", "57P01"));
        assertThat(startingUp).isEqualTo(refused).isEqualTo(shuttingDown).isEqualTo("unreachable");
        assertThat(PostgresFailures.kindOf(new SQLException("password authentication failed", "28P01")))
                .isNotEqualTo(refused);
    }
}
