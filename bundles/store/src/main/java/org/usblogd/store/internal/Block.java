package org.usblogd.store.internal;

import java.util.Arrays;
import java.util.List;

import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.BlockCodec;
import org.usblogd.store.jdbc.BlockEncoder;

/**
 * A block of one channel's samples in the writer's memory, from its first sample until the database holds
 * it for good. While it fills it keeps its samples in arrays that grow as needed and is written again at
 * each commit, so that recent samples are as queryable as old ones; its encoder encodes each sample once,
 * at the first commit after it came, not the whole block at every commit. Once full (or when time goes
 * back) it is sealed: the encoder's bytes kept, its arrays let go, so a long outage holds about 2 bytes a
 * sample, not 16.
 */
final class Block {
    private static final int FIRST_CAPACITY = 64;
    /** What a block costs in memory besides its samples. */
    static final int OVERHEAD_BYTES = 96;

    final ChannelRef channel;
    private final int capacity;
    private long[] times;
    private double[] values;
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

    Block(ChannelRef channel, int capacity, long nowNanos) {
        this.channel = channel;
        this.capacity = capacity;
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
        if (size == times.length) {
            makeRoom(size + 1);
        }
        times[size] = t;
        values[size] = v;
        if (size == 0) {
            first = t;
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
        if (size + n > times.length) {
            makeRoom(size + n);
        }
        System.arraycopy(t, offset, times, size, n);
        System.arraycopy(v, offset, values, size, n);
        if (size == 0) {
            first = t[offset];
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
        encoder.append(times, values, size);
        return encoder.bytes();
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
        return encoded != null ? BlockCodec.decode(encoded).values()[0] : values[0];
    }

    /** The samples from index {@code from} on, as they are read back; a sealed block is decoded for them. */
    void addSince(int from, List<StoredSample> into) {
        long[] t = times;
        double[] v = values;
        if (encoded != null) {
            BlockCodec.Block decoded = BlockCodec.decode(encoded);
            t = decoded.times();
            v = decoded.values();
        }
        for (int i = from; i < size; i++) {
            into.add(new StoredSample(t[i], channel.deviceKey, channel.channel.name(), v[i], channel.channel.unit()));
        }
    }

    /** Bytes of heap this block holds. */
    long heldBytes() {
        return OVERHEAD_BYTES + (encoded != null ? encoded.length : 16L * times.length + encoder.heldBytes());
    }
}
