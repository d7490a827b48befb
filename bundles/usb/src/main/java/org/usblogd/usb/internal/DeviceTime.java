package org.usblogd.usb.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sample times of one device that never run backwards. The host time drivers stamp with follows the wall
 * clock, but after a step back (NTP correcting a clock that ran ahead, a date set by hand) it goes on at
 * half speed from where it was until the wall clock has caught up, so samples stay in order and keep most
 * of their spacing; a step forward is followed at once. On top of that, a sample whose time is not after its
 * channel's last one (a driver with its own idea of time) is stamped a microsecond after it. It outlives
 * sessions, so a reopened session cannot go back before its predecessor either.
 */
final class DeviceTime {
    private final LongSupplier wallMicros;
    private final LongSupplier nanos;
    private final Map<String, long[]> lastByChannel = new HashMap<>();
    private boolean started;
    private long last;
    private long lastNanos;

    DeviceTime(LongSupplier wallMicros, LongSupplier nanos) {
        this.wallMicros = wallMicros;
        this.nanos = nanos;
    }

    /** The host time to stamp a sample read now. */
    synchronized long now() {
        long wall = wallMicros.getAsLong();
        long mono = nanos.getAsLong();
        long t = wall;
        if (started) {
            t = Math.max(wall, last + (mono - lastNanos) / 2_000);
        }
        started = true;
        last = t;
        lastNanos = mono;
        return t;
    }

    /** The time to store a sample of {@code channel} under: its own, or a microsecond after the channel's last. */
    synchronized long stamp(String channel, long t) {
        long[] lastT = lastByChannel.computeIfAbsent(channel, c -> new long[] { Long.MIN_VALUE });
        if (t <= lastT[0]) {
            t = lastT[0] + 1;
        }
        lastT[0] = t;
        return t;
    }
}
