package org.usblogd.store.internal;

import java.util.Arrays;

/**
 * Samples of one device in the order its sessions gave them, handed from the device's thread to the writer
 * in one piece: each sample's channel, time and value side by side in arrays, which grow up to the chunk's
 * limit so that a device that delivers once a second keeps a small one. Filled under its device's lock
 * ({@link DeviceFeed}), read by the writer once handed over, then given back to be filled again.
 */
final class Chunk {
    private static final int FIRST_CAPACITY = 64;
    /** What one sample slot costs: its channel reference, time and value. */
    static final int SLOT_BYTES = 4 + 8 + 8;
    /** What a chunk costs besides its slots. */
    static final int OVERHEAD_BYTES = 96;

    final DeviceFeed feed;
    private final int limit;
    ChannelRef[] channels;
    long[] times;
    double[] values;
    int size;
    /** The earliest and latest sample time, for counting a dropped chunk with its span. */
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Chunk(DeviceFeed feed, int limit) {
        this.feed = feed;
        this.limit = limit;
        int initial = Math.min(FIRST_CAPACITY, limit);
        channels = new ChannelRef[initial];
        times = new long[initial];
        values = new double[initial];
    }

    boolean full() {
        return size == limit;
    }

    /** Room for at least one more sample, at most {@code wanted} (the chunk grows as far as its limit allows). */
    int room(int wanted) {
        if (size == times.length && size < limit) {
            int grown = (int) Math.min(limit, Math.max((long) times.length * 2, (long) size + wanted));
            channels = Arrays.copyOf(channels, grown);
            times = Arrays.copyOf(times, grown);
            values = Arrays.copyOf(values, grown);
        }
        return Math.min(wanted, times.length - size);
    }

    /** Appends one sample; there is {@link #room}. */
    void add(ChannelRef ref, long t, double v) {
        channels[size] = ref;
        times[size] = t;
        values[size] = v;
        size++;
        first = Math.min(first, t);
        last = Math.max(last, t);
    }

    /** Appends {@code n} samples of one channel from the caller's arrays; there is {@link #room} for them. */
    void add(ChannelRef ref, long[] t, double[] v, int offset, int n) {
        Arrays.fill(channels, size, size + n, ref);
        System.arraycopy(t, offset, times, size, n);
        System.arraycopy(v, offset, values, size, n);
        long lo = first;
        long hi = last;
        for (int i = offset; i < offset + n; i++) {
            long x = t[i];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        first = lo;
        last = hi;
        size += n;
    }

    /** Empty again, keeping its arrays (their channel references let go). */
    void clear() {
        Arrays.fill(channels, 0, size, null);
        size = 0;
        first = Long.MAX_VALUE;
        last = Long.MIN_VALUE;
    }

    long heldBytes() {
        return OVERHEAD_BYTES + (long) times.length * SLOT_BYTES;
    }
}
