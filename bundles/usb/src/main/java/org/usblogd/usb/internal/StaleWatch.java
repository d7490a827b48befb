package org.usblogd.usb.internal;

import java.util.function.LongSupplier;


/**
 * Notices a bound device that stopped delivering. Its sessions' sinks tell it of each sample; it learns the
 * device's period from the gaps between deliveries (samples closer together than a millisecond belong to
 * one report) and says when nothing arrived for {@code multiple} periods, never sooner than {@code minMs}.
 * Before it has a period it allows {@code firstMs}. It outlives sessions of its device, so a reopened
 * session is judged by what the device did before.
 */
final class StaleWatch {
    /** Gaps shorter than this are the channels of one report, not the device's period. */
    private static final long SAME_REPORT_NANOS = 1_000_000;

    private final LongSupplier nanoClock;
    private volatile long lastNanos;
    private volatile boolean delivering;
    private final java.util.concurrent.atomic.AtomicLong deliveries = new java.util.concurrent.atomic.AtomicLong();
    /** Smoothed gap between reports; 0 until two reports arrived. */
    private volatile long periodNanos;
    private volatile long watchingSince;

    StaleWatch(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.watchingSince = nanoClock.getAsLong();
    }

    /** A new session starts: the silence it is judged by starts now, the period learned so far stays. */
    void restart() {
        watchingSince = nanoClock.getAsLong();
    }

    void delivered() {
        delivered(1);
    }

    /** {@code samples} arrived at once, as one report: one look at the clock for all of them. */
    void delivered(int samples) {
        deliveries.addAndGet(samples);
        long now = nanoClock.getAsLong();
        long gap = now - lastNanos;
        boolean first = !delivering;
        lastNanos = now;
        delivering = true;
        if (first || gap < SAME_REPORT_NANOS) {
            return;
        }
        long p = periodNanos;
        // a quarter of each new gap: follows a changed poll interval within a few reports, shrugs off one late one
        periodNanos = p == 0 ? gap : p + (gap - p) / 4;
    }

    /** Samples delivered so far, over all sessions. */
    long deliveries() {
        return deliveries.get();
    }

    /** The learned period in ms, or 0 while unknown. */
    long periodMs() {
        long p = periodNanos;
        return p == 0 ? 0 : Math.max(1, p / 1_000_000);
    }

    /** How long the device has been silent in this session, in ms. */
    long silentMs() {
        long now = nanoClock.getAsLong();
        long sinceStart = now - watchingSince;
        return (delivering ? Math.min(sinceStart, now - lastNanos) : sinceStart) / 1_000_000;
    }

    /** The silence after which the device counts as stale, in ms. */
    long limitMs(long multiple, long minMs, long firstMs) {
        long p = periodMs();
        return p == 0 ? firstMs : Math.max(minMs, multiple * p);
    }
}
