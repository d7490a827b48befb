package org.usblogd.store.internal;

import java.util.Arrays;
import java.util.List;

import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.BlockCodec;
import org.usblogd.store.jdbc.BlockEncoder;

/**
 * A block of one channel's samples in the writer's memory, from its first sample until the database holds
 * it for good. While it fills it is written again at each commit, so that recent samples are as queryable as
 * old ones; its encoder encodes each sample once, at the first commit after it came, not the whole block at
 * every commit. Its arrays hold only the samples not yet counted as written (those since the last commit,
 * or since the last that worked): the rest are in the encoder at about 2 bytes a sample, not 16, so a slow
 * channel's block that takes hours to fill does not grow the heap by 64 kB meanwhile. Once full, old enough
 * (the buffer decides), or when time goes back it is sealed: the encoder's bytes kept, its arrays let go.
 */
final class Block {
    private static final int FIRST_CAPACITY = 64;
    /** What a block costs in memory besides its samples. */
    static final int OVERHEAD_BYTES = 96;

    final ChannelRef channel;
    private final int capacity;
    /** Samples {@code base} to {@code size - 1}: those not yet counted as written. */
    private long[] times;
    private double[] values;
    private int base;
    private double firstValue;
    /** Null once sealed. */
    private BlockEncoder encoder = new BlockEncoder();
    /** Null until sealed. */
    private byte[] encoded;
    private int size;
    private long first;
    private long last;
    /** The block's row, or -1 before it was inserted. */
    long rowId = -1;
    /** Samples of this block in the database as of the last commit; 0 after a failed write (write it again). */
    int inDatabase;
    /** Whether the database's row says sealed as of the last commit. */
    boolean sealedInDatabase;
    /** Samples of this block already counted as written, so that none is counted twice. */
    int counted;
    /** When a sample was last added, on the monotonic clock. */
    long lastAppendNanos;
    /** When its first sample came, on the monotonic clock. */
    final long openedNanos;

    Block(ChannelRef channel, int capacity, long nowNanos) {
        this.channel = channel;
        this.capacity = capacity;
        this.openedNanos = nowNanos;
        int initial = Math.min(FIRST_CAPACITY, capacity);
        this.times = new long[initial];
        this.values = new double[initial];
        this.lastAppendNanos = nowNanos;
    }

    /** Appends; false when the block is full, sealed, or the time goes backwards (then it has to be sealed). */
    boolean add(long t, double v, long nowNanos) {
        if (encoded != null || size == capacity || size > 0 && t < last) {
            return false;
        }
        if (size - base == times.length) {
            makeRoom(size - base + 1);
        }
        times[size - base] = t;
        values[size - base] = v;
        if (size == 0) {
            first = t;
            firstValue = v;
        }
        last = t;
        size++;
        lastAppendNanos = nowNanos;
        return true;
    }

    /**
     * Appends {@code t} and {@code v} from {@code offset} on, as far as it can; returns how many it took, fewer
     * than {@code length} when the block is full, sealed, or a time goes backwards (then it has to be sealed).
     */
    int add(long[] t, double[] v, int offset, int length, long nowNanos) {
        if (encoded != null) {
            return 0;
        }
        int room = Math.min(length, capacity - size);
        long previous = size > 0 ? last : Long.MIN_VALUE;
        int n = 0;
        while (n < room && t[offset + n] >= previous) {
            previous = t[offset + n];
            n++;
        }
        if (n == 0) {
            return 0;
        }
        if (size - base + n > times.length) {
            makeRoom(size - base + n);
        }
        System.arraycopy(t, offset, times, size - base, n);
        System.arraycopy(v, offset, values, size - base, n);
        if (size == 0) {
            first = t[offset];
            firstValue = v[offset];
        }
        last = previous;
        size += n;
        lastAppendNanos = nowNanos;
        return n;
    }

    private void makeRoom(int needed) {
        int grown = Math.min(capacity, Math.max(needed, times.length * 2));
        times = Arrays.copyOf(times, grown);
        values = Arrays.copyOf(values, grown);
    }

    /**
     * The samples up to {@link #counted} are written: the arrays let go of them (arrays grown for a burst or
     * an outage are given back too; the encoder holds them all).
     */
    void released() {
        if (encoded != null) {
            return;
        }
        encode();
        int drop = counted - base;
        if (drop <= 0) {
            return;
        }
        int keep = size - counted;
        if (times.length > 4 * FIRST_CAPACITY && keep <= FIRST_CAPACITY) {
            long[] t = new long[FIRST_CAPACITY];
            double[] v = new double[FIRST_CAPACITY];
            System.arraycopy(times, drop, t, 0, keep);
            System.arraycopy(values, drop, v, 0, keep);
            times = t;
            values = v;
        } else {
            System.arraycopy(times, drop, times, 0, keep);
            System.arraycopy(values, drop, values, 0, keep);
        }
        base = counted;
    }

    /** Final from now on: the encoder's bytes kept, the arrays let go. */
    void seal() {
        if (encoded == null) {
            encoded = bytes();
            encoder = null;
            times = null;
            values = null;
        }
    }

    boolean sealed() {
        return encoded != null;
    }

    /** Whether the database does not hold this block as it is in memory. */
    boolean dirty() {
        return inDatabase < size || sealed() != sealedInDatabase;
    }

    /** The block as stored: the samples that came since the last call are encoded, the rest were. */
    byte[] bytes() {
        if (encoded != null) {
            return encoded;
        }
        encode();
        return encoder.bytes();
    }

    private void encode() {
        int from = encoder.size();
        encoder.append(times, values, from - base, size - from);
    }

    int size() {
        return size;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    /** The first value, for the log line that says a channel's first sample is stored. */
    double firstValue() {
        return firstValue;
    }

    /**
     * The samples from index {@code from} on, as they are read back: from the arrays when they hold them (the
     * ones not yet counted as written), else decoded from the block's bytes.
     */
    void addSince(int from, List<StoredSample> into) {
        long[] t = times;
        double[] v = values;
        int at = base;
        if (encoded != null || from < base) {
            BlockCodec.Block decoded = BlockCodec.decode(bytes());
            t = decoded.times();
            v = decoded.values();
            at = 0;
        }
        for (int i = from; i < size; i++) {
            into.add(new StoredSample(t[i - at], channel.deviceKey, channel.channel.name(), v[i - at],
                    channel.channel.unit()));
        }
    }

    /** Bytes of heap this block holds. */
    long heldBytes() {
        return OVERHEAD_BYTES + (encoded != null ? encoded.length : 16L * times.length + encoder.heldBytes());
    }
}
