package org.usblogd.api.sample;

/**
 * Stamps the readings of a device that measures on its own clock (a power meter at 100 Hz, a sketch that
 * prints every second): successive readings are one period apart, as the device took them, rather than
 * apart by when the host happened to read them. Reports that pile up in the host (a busy CPU, a pause)
 * therefore keep their spacing instead of sharing one arrival time.
 *
 * <p>The device's clock is only as good as its crystal, so the stamps are pulled gently towards the arrival
 * times (a 64th of the lag per reading): they follow a device that runs a little fast or slow without
 * steps. A reading is never stamped after it arrived, and never at or before the reading before it. A lag
 * beyond {@code maxLagMicros} (readings lost, a device that paused) starts again from the arrival time.
 *
 * <p>One instance per device session, used by its thread only.
 */
public final class CadenceClock {
    /** The share of the lag behind the arrival times taken back per reading. */
    private static final int PULL = 64;

    private final long periodMicros;
    private final long maxLagMicros;
    private long last;
    private boolean started;

    /**
     * @param periodMicros the device's period between readings
     * @param maxLagMicros how far the stamps may fall behind the arrival times before they start again there
     */
    public CadenceClock(long periodMicros, long maxLagMicros) {
        if (periodMicros <= 0 || maxLagMicros < 0) {
            throw new IllegalArgumentException("period must be positive and the lag not negative");
        }
        this.periodMicros = periodMicros;
        this.maxLagMicros = maxLagMicros;
    }

    public long periodMicros() {
        return periodMicros;
    }

    /**
     * Stamps {@code count} readings that arrived together at {@code arrivalMicros}, oldest first, into
     * {@code times[0..count)}.
     */
    public void stamp(long arrivalMicros, long[] times, int count) {
        for (int i = 0; i < count; i++) {
            // the reading cannot have been taken later than its successors in the same arrival allow
            long latest = arrivalMicros - (count - 1 - i) * periodMicros;
            times[i] = next(latest);
        }
    }

    /** Stamps one reading that arrived at {@code arrivalMicros}. */
    public long stamp(long arrivalMicros) {
        return next(arrivalMicros);
    }

    private long next(long latest) {
        long t;
        if (!started) {
            t = latest;
            started = true;
        } else {
            t = last + periodMicros;
            long lag = latest - t;
            if (lag > maxLagMicros) {
                t = latest;
            } else if (lag > 0) {
                t += lag / PULL;
            } else {
                t = latest; // the device runs slow, or the host read early: never after arrival
            }
            if (t <= last) {
                t = last + 1;
            }
        }
        last = t;
        return t;
    }

    /** Forgets the last reading: the next one is stamped at its arrival (a device that was reopened). */
    public void restart() {
        started = false;
    }
}
