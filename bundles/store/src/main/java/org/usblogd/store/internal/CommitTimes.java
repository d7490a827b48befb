package org.usblogd.store.internal;

/**
 * How long the writer's commits take: their count and total since start, and the longest since the last
 * {@link #take}. The writer adds one figure per commit (a few a second at most), so a lock costs nothing.
 */
final class CommitTimes {
    /** The figures as of one {@link #take}. */
    record Taken(long count, long totalNanos, long maxNanos) {
    }

    private long count;
    private long totalNanos;
    private long maxNanos;

    synchronized void add(long nanos) {
        count++;
        totalNanos += nanos;
        maxNanos = Math.max(maxNanos, nanos);
    }

    /** The figures, the longest commit being the longest since the last call (0: none); starts the next span. */
    synchronized Taken take() {
        Taken t = new Taken(count, totalNanos, maxNanos);
        maxNanos = 0;
        return t;
    }
}
