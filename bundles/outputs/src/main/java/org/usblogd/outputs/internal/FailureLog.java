package org.usblogd.outputs.internal;

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
    private final PeerFailures peer;
    /** The kind of the failure last logged; null while forwarding works. */
    private String failing;
    private long failingSinceNanos;
    private boolean everConnected;

    FailureLog(OutputSettings settings, PeerFailures peer) {
        this.settings = settings;
        this.peer = peer;
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

    /** The same kind of failure again is not logged again; another one is. */
    String kind(Throwable e) {
        return e instanceof StoreException ? "store" : peer.kind(e);
    }

    private String line(Throwable e, long backlogSamples) {
        String where = "output " + settings.name() + " (" + settings.file() + "): ";
        if (e instanceof StoreException) {
            return where + "cannot read the local store: " + e.getMessage() + "; logging goes on, and so does the"
                    + " output once the store can be read";
        }
        return where + peer.line(e) + "; nothing is lost: what is not forwarded" + (backlogSamples > 0 ? " ("
                + backlogSamples + " samples so far)" : "") + " waits in the local store until forwarding works"
                + " (tried again with back-off up to 60 s)";
    }

    static String message(Throwable e) {
        if (e instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
            // the batch's own message repeats a whole statement with its values; the cause is the next one's
            return message(b.getNextException());
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m).strip();
    }
}
