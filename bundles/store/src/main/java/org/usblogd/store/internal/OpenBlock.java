package org.usblogd.store.internal;

import org.usblogd.store.jdbc.BlockCodec;

/**
 * The block of a channel that is still filling: samples in arrays, its row (once written) and how many of
 * its samples are committed. It is written again at each commit while it grows, so that recent samples are
 * as queryable as old ones; once full it is sealed and never touched again.
 */
final class OpenBlock {
    final ChannelRef channel;
    final long[] times;
    final double[] values;
    int size;
    /** The block's row, or -1 before its first write. */
    long rowId = -1;
    /** Samples of this block in the database as of the last commit. */
    int committed;
    boolean sealed;
    /** When the writer last found it grown; it forgets blocks that stay quiet. */
    long lastAppendAt = System.currentTimeMillis();

    OpenBlock(ChannelRef channel, int capacity) {
        this.channel = channel;
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    /** Appends; false when the block is full or the time goes backwards (the block then has to be sealed). */
    boolean add(long t, double v) {
        if (size == times.length || size > 0 && t < times[size - 1]) {
            return false;
        }
        times[size] = t;
        values[size] = v;
        size++;
        return true;
    }


    boolean dirty() {
        return committed < size;
    }

    byte[] encode() {
        return BlockCodec.encode(times, values, size);
    }

    long first() {
        return times[0];
    }

    long last() {
        return times[size - 1];
    }
}
