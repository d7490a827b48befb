package org.usblogd.serial;

import java.util.Arrays;

/**
 * Stamps the lines of a serial device by the pace at which it prints them. Lines that arrive in one
 * transfer (the host read late, or the chip gathered them) were printed one after another, not at once:
 * they are spread back from the transfer's arrival by the line period learned so far, oldest first. A stamp
 * is always after the stamp before it, and never after its line arrived unless transfers come closer
 * together (in microseconds) than the lines they bring.
 *
 * <p>The period is the median of the recent gaps between lines (the time between two transfers that
 * brought lines, shared among the lines the second brought), so that a pause of the device, a pile-up in
 * the host or a line split across transfers moves it no more than one gap in sixteen does.
 *
 * <p>One instance per session, used by its thread only.
 */
final class LineCadence {
    static final int GAPS = 16;

    private final long[] gaps = new long[GAPS];
    private final long[] sorted = new long[GAPS];
    private int gapCount;
    private int next;
    private long lastArrival;
    private boolean arrived;
    private long last;
    private boolean stamped;

    /**
     * Stamps {@code count} lines that arrived in one transfer at {@code arrivalMicros}, oldest first.
     *
     * @return their stamps, strictly increasing
     */
    long[] stamp(long arrivalMicros, int count) {
        long[] times = new long[count];
        if (count == 0) {
            return times;
        }
        learn(arrivalMicros, count);
        long step = Math.max(1, period());
        long room = stamped ? arrivalMicros - last : Long.MAX_VALUE; // the stamps go in (last, arrival]
        if (room < count) {
            // transfers closer together than the lines they brought: order is all that can be kept
            for (int i = 0; i < count; i++) {
                times[i] = last + 1 + i;
            }
        } else {
            if (stamped && (count - 1) * step >= room) {
                step = room / count; // they cannot all be a period apart after the previous stamp: share the room
            }
            for (int i = 0; i < count; i++) {
                times[i] = arrivalMicros - (count - 1 - i) * step;
            }
        }
        last = times[count - 1];
        stamped = true;
        return times;
    }

    private void learn(long arrivalMicros, int count) {
        if (arrived) {
            long perLine = Math.max(0, arrivalMicros - lastArrival) / count;
            for (int i = 0; i < Math.min(count, GAPS); i++) {
                gaps[next] = perLine;
                next = (next + 1) % GAPS;
                gapCount = Math.min(gapCount + 1, GAPS);
            }
        }
        lastArrival = arrivalMicros;
        arrived = true;
    }

    /**
     * The line period learned so far, in microseconds; 0 until a gap has been seen, when nothing says how
     * far apart the lines of a transfer were printed and they are kept apart by the least that orders them.
     */
    long period() {
        if (gapCount == 0) {
            return 0;
        }
        System.arraycopy(gaps, 0, sorted, 0, gapCount);
        Arrays.sort(sorted, 0, gapCount);
        return sorted[gapCount / 2];
    }
}
