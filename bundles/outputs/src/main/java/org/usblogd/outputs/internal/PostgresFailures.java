package org.usblogd.outputs.internal;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** A PostgreSQL server's failures, told by their SQL states. */
final class PostgresFailures implements PeerFailures {
    private final OutputSettings settings;

    PostgresFailures(OutputSettings settings) {
        this.settings = settings;
    }

    @Override
    public String kind(Throwable e) {
        return kindOf(e);
    }

    /** A connection lost amid a batch and one refused afterwards are one outage. */
    static String kindOf(Throwable e) {
        String state = sqlState(e);
        if (state.startsWith("28")) {
            return "refused user";
        }
        if (unreachable(e, state)) {
            return "unreachable";
        }
        if (state.startsWith("42")) {
            return "statements refused";
        }
        return state.isEmpty() ? e.getClass().getName() : "sql " + state;
    }

    @Override
    public boolean unreachable(Throwable e) {
        return unreachable(e, sqlState(e));
    }

    @Override
    public String line(Throwable e) {
        String state = sqlState(e);
        if (state.startsWith("28")) {
            return "PostgreSQL at " + settings.target() + " refuses user '" + settings.user() + "': "
                    + FailureLog.message(e) + "; check user and password in " + settings.file();
        }
        if (unreachable(e, state)) {
            return "cannot reach PostgreSQL at " + settings.target() + ": " + FailureLog.message(e) + "; check that"
                    + " it runs and that this host may connect (url in " + settings.file() + ")";
        }
        if (state.startsWith("42")) {
            return "PostgreSQL at " + settings.target() + " refuses the statements: " + FailureLog.message(e)
                    + "; the user needs to create tables in the database and write to them";
        }
        return "forwarding to " + settings.target() + " failed: " + FailureLog.message(e);
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getSQLState() == null ? "" : s.getSQLState();
            }
        }
        return "";
    }

    private static boolean unreachable(Throwable e, String state) {
        // 57P: a server starting up, shutting down or restarting after a crash refuses to talk for a while: to
        // the user, the same outage as a refused connection (a restart showed both, as two lines)
        return state.startsWith("08") || state.startsWith("57P") || PeerFailures.cause(e, ConnectException.class)
                || PeerFailures.cause(e, UnknownHostException.class)
                || PeerFailures.cause(e, java.net.SocketTimeoutException.class);
    }
}
