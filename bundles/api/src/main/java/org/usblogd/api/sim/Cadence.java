package org.usblogd.api.sim;

/**
 * When a device that reports on its own clock has its next report ready: the first at once, then one per
 * period; after a long time unread it does not pile up a backlog, as a real device's buffer does not.
 * For twins of such devices. Not thread-safe: the twin that owns it guards it.
 */
public final class Cadence {
    private final long periodNanos;
    private long nextAt;

    public Cadence(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /** Whether a report is due at {@code nowNanos}; if so the next one is scheduled. */
    public boolean due(long nowNanos) {
        if (nextAt == 0) {
            nextAt = nowNanos;
        }
        if (nowNanos - nextAt < 0) {
            return false;
        }
        nextAt = Math.max(nextAt + periodNanos, nowNanos - 10 * periodNanos);
        return true;
    }

    /** When the next report is due. */
    public long next(long nowNanos) {
        return nextAt == 0 ? nowNanos : nextAt;
    }
}
