package org.usblogd.store.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Notices the wall clock stepping (NTP's first sync after a boot without a real-time clock, a user setting
 * the date): between two looks it should move as the monotonic clock does; a difference of more than the
 * tolerance is a step, which samples' timestamps show as a gap or an overlap, so it is recorded.
 */
final class ClockWatch {
    private final LongSupplier wallMillis;
    private final LongSupplier monotonicNanos;
    private final long toleranceMs;
    private long lastWall;
    private long lastMono;

    ClockWatch(LongSupplier wallMillis, LongSupplier monotonicNanos, long toleranceMs) {
        this.wallMillis = wallMillis;
        this.monotonicNanos = monotonicNanos;
        this.toleranceMs = toleranceMs;
        this.lastWall = wallMillis.getAsLong();
        this.lastMono = monotonicNanos.getAsLong();
    }

    /** A description of the step since the last look, if the wall clock stepped. */
    Optional<String> check() {
        long wall = wallMillis.getAsLong();
        long mono = monotonicNanos.getAsLong();
        long expected = lastWall + (mono - lastMono) / 1_000_000;
        long step = wall - expected;
        lastWall = wall;
        lastMono = mono;
        if (Math.abs(step) <= toleranceMs) {
            return Optional.empty();
        }
        return Optional.of("the wall clock stepped " + (step > 0 ? "forward" : "back") + " by " + Math.abs(step)
                + " ms (from " + Instant.ofEpochMilli(expected) + " to " + Instant.ofEpochMilli(wall)
                + "); sample times around it show a " + (step > 0 ? "gap" : "overlap") + " that is not the device's");
    }
}
