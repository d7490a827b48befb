package org.usblogd.store.internal;

/**
 * How long the writer's commits take: their count and total since start, and the longest since the last
 * {@link #takeMax}. The writer adds one figure per commit (a few a second at most), so a lock costs nothing.
 */
final class CommitTimes {
    private long count;
    private long totalNanos;
    private long maxNanos;

    synchronized void add(long nanos) {
        count++;
        totalNanos += nanos;
        maxNanos = Math.max(maxNanos, nanos);
    }

    synchronized long count() {
        return count;
    }

    synchronized long totalNanos() {
        return totalNanos;
    }

    /** The longest commit since the last call (0 when none happened), and starts the next span. */
    synchronized long takeMax() {
        long m = maxNanos;
        maxNanos = 0;
        return m;
    }
}
