package org.usblogd.store.internal;

import java.util.Arrays;

/**
 * Samples of one device in the order its sessions gave them, handed from the device's thread to the writer
 * in one piece: times and values side by side in arrays, in runs of one channel each (a batch is one run,
 * however long). The arrays grow up to the chunk's limit, so that a device that delivers once a second keeps
 * a small one. Filled under its device's lock ({@link DeviceFeed}), read by the writer once handed over,
 * then given back to be filled again.
 */
final class Chunk {
    /** Where a device's first chunk starts; later ones start where the one before grew to. */
    static final int FIRST_CAPACITY = 64;
    /** What a chunk costs besides its slots. */
    static final int OVERHEAD_BYTES = 128;

    final DeviceFeed feed;
    private final int limit;
    long[] times;
    double[] values;
    int size;
    /** Run {@code r} holds the samples from {@code runEnds[r - 1]} (0 for the first) to {@code runEnds[r]}. */
    ChannelRef[] runChannels;
    int[] runEnds;
    int runs;
    /** The earliest and latest sample time, for counting a dropped chunk with its span. */
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Chunk(DeviceFeed feed, int limit, int capacity) {
        this.feed = feed;
        this.limit = limit;
        int initial = Math.max(1, Math.min(capacity, limit));
        times = new long[initial];
        values = new double[initial];
        runChannels = new ChannelRef[Math.min(initial, FIRST_CAPACITY)];
        runEnds = new int[runChannels.length];
    }

    boolean full() {
        return size == limit;
    }

    /** Room for at least one more sample, at most {@code wanted} (the chunk grows as far as its limit allows). */
    int room(int wanted) {
        if (size == times.length && size < limit) {
            int grown = (int) Math.min(limit, Math.max((long) times.length * 2, (long) size + wanted));
            times = Arrays.copyOf(times, grown);
            values = Arrays.copyOf(values, grown);
        }
        return Math.min(wanted, times.length - size);
    }

    /** Appends one sample; there is {@link #room}. */
    void add(ChannelRef ref, long t, double v) {
        times[size] = t;
        values[size] = v;
        size++;
        extend(ref);
        first = Math.min(first, t);
        last = Math.max(last, t);
    }

    /** Appends {@code n} samples of one channel from the caller's arrays; there is {@link #room} for them. */
    void add(ChannelRef ref, long[] t, double[] v, int offset, int n) {
        System.arraycopy(t, offset, times, size, n);
        System.arraycopy(v, offset, values, size, n);
        size += n;
        extend(ref);
        long lo = first;
        long hi = last;
        for (int i = offset; i < offset + n; i++) {
            long x = t[i];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        first = lo;
        last = hi;
    }

    /** The samples up to {@link #size} are {@code ref}'s: the last run when it is that channel's, else a new one. */
    private void extend(ChannelRef ref) {
        if (runs > 0 && runChannels[runs - 1] == ref) {
            runEnds[runs - 1] = size;
            return;
        }
        if (runs == runChannels.length) {
            int grown = Math.min(Math.max(limit, 1), runs * 2);
            runChannels = Arrays.copyOf(runChannels, grown);
            runEnds = Arrays.copyOf(runEnds, grown);
        }
        runChannels[runs] = ref;
        runEnds[runs] = size;
        runs++;
    }

    /** Empty again, keeping its arrays (the channels they name are the device's, kept anyway). */
    void clear() {
        size = 0;
        runs = 0;
        first = Long.MAX_VALUE;
        last = Long.MIN_VALUE;
    }

    long heldBytes() {
        return OVERHEAD_BYTES + (long) times.length * 16 + (long) runChannels.length * 8;
    }
}
