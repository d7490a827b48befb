package org.usblogd.outputs.internal;

/**
 * What a failure of one kind of peer means to the user: the kind decides whether it is news (the same kind again
 * is not logged again), the line says what failed, where, and what to do.
 */
interface PeerFailures {
    /** Kinds are what the user does about a failure, not a driver's codes. */
    String kind(Throwable e);

    /** What failed and what to do, for a log line that adds which output and that nothing is lost. */
    String line(Throwable e);

    /** Whether the peer cannot be reached at all (down, no route, no such host): an outage, not a mistake. */
    boolean unreachable(Throwable e);

    static boolean cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
