package org.usblogd.outputs.internal;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.store.StoreException;

/**
 * One log line per change of an output's state, not per attempt: the first failure of a kind says what failed,
 * where, and what to do; the same failure again says nothing; forwarding again after failures says so once.
 */
final class FailureLog {
    private static final Logger log = LoggerFactory.getLogger(FailureLog.class);

    private final OutputSettings settings;
    /** The kind of the failure last logged; null while forwarding works. */
    private String failing;
    private long failingSinceNanos;
    private boolean everConnected;

    FailureLog(OutputSettings settings) {
        this.settings = settings;
    }

    /** @return the failure as the status shows it */
    String failed(Throwable e, long nowNanos, long backlogSamples) {
        String kind = kind(e);
        String line = line(e, backlogSamples);
        if (!kind.equals(failing)) {
            if (failing == null) {
                failingSinceNanos = nowNanos;
            }
            failing = kind;
            log.error("{}", line);
        }
        return message(e);
    }

    /** @param backlogSamples what is still to forward, or a negative number when it is not known */
    void succeeded(long nowNanos, long backlogSamples) {
        if (everConnected && failing == null) {
            return; // cheap: called after every batch
        }
        if (failing != null) {
            log.info("output {}: forwarding to {} again after {} s of failures{}", settings.name(), settings.target(),
                    (nowNanos - failingSinceNanos) / 1_000_000_000L, backlogSamples > 0 ? "; catching up on "
                            + backlogSamples + " samples held meanwhile" : "");
            failing = null;
        } else if (!everConnected) {
            log.info("output {}: forwarding to {} as node {}", settings.name(), settings.target(), settings.node());
        }
        everConnected = true;
    }

    /**
     * The same kind of failure again is not logged again; another one is. Kinds are what the user does about
     * them, not the driver's codes: a connection lost amid a batch and one refused afterwards are one outage.
     */
    static String kind(Throwable e) {
        if (e instanceof StoreException) {
            return "store";
        }
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

    private static String sqlState(Throwable e) {
        SQLException sql = sql(e);
        return sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    }

    private static boolean unreachable(Throwable e, String state) {
        // 57P: a server starting up, shutting down or restarting after a crash refuses to talk for a while: to
        // the user, the same outage as a refused connection (a restart showed both, as two lines)
        return state.startsWith("08") || state.startsWith("57P") || cause(e, ConnectException.class) || cause(e, UnknownHostException.class)
                || cause(e, java.net.SocketTimeoutException.class);
    }

    private String line(Throwable e, long backlogSamples) {
        String where = "output " + settings.name() + " (" + settings.file() + "): ";
        String waits = "; nothing is lost: what is not forwarded" + (backlogSamples > 0 ? " (" + backlogSamples
                + " samples so far)" : "") + " waits in the local store until forwarding works (tried again with"
                + " back-off up to 60 s)";
        if (e instanceof StoreException) {
            return where + "cannot read the local store: " + e.getMessage() + "; logging goes on, and so does the"
                    + " output once the store can be read";
        }
        String state = sqlState(e);
        if (state.startsWith("28")) {
            return where + "PostgreSQL at " + settings.target() + " refuses user '" + settings.user() + "': "
                    + message(e) + "; check user and password in " + settings.file() + waits;
        }
        if (unreachable(e, state)) {
            return where + "cannot reach PostgreSQL at " + settings.target() + ": " + message(e) + "; check that it"
                    + " runs and that this host may connect (url in " + settings.file() + ")" + waits;
        }
        if (state.startsWith("42")) {
            return where + "PostgreSQL at " + settings.target() + " refuses the statements: " + message(e)
                    + "; the user needs to create tables in the database and write to them" + waits;
        }
        return where + "forwarding to " + settings.target() + " failed: " + message(e) + waits;
    }

    static String message(Throwable e) {
        if (e instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
            // the batch's own message repeats a whole statement with its values; the cause is the next one's
            return message(b.getNextException());
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m).strip();
    }

    private static SQLException sql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static boolean cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
