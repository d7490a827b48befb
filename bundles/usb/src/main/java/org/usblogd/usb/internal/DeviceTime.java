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
    private final Map<String, Order> orders = new HashMap<>();
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
    long stamp(String channel, long t) {
        return order(channel).stamp(t);
    }

    /** The order of one channel's times, the same for every session of the device; resolved once per channel. */
    synchronized Order order(String channel) {
        return orders.computeIfAbsent(channel, c -> new Order());
    }

    /** A channel's last stored time, which the next may not reach back to. */
    static final class Order {
        private long last = Long.MIN_VALUE;

        synchronized long stamp(long t) {
            long stamped = t <= last ? last + 1 : t;
            last = stamped;
            return stamped;
        }

        /**
         * Stamps {@code length} times in one pass: the caller's array itself when every time is after the one
         * before, as they nearly always are, else a copy in which each time that is not is a microsecond after
         * the one before (the caller's array is left as it was).
         */
        synchronized long[] stamp(long[] times, int offset, int length) {
            long previous = last;
            int end = offset + length;
            int i = offset;
            while (i < end && times[i] > previous) {
                previous = times[i++];
            }
            if (i == end) {
                last = previous;
                return times;
            }
            long[] stamped = java.util.Arrays.copyOfRange(times, offset, end);
            for (int k = i - offset; k < length; k++) {
                if (stamped[k] <= previous) {
                    stamped[k] = previous + 1;
                }
                previous = stamped[k];
            }
            last = previous;
            return stamped;
        }
    }
}
