package org.usblogd.store.jdbc;

import java.util.Arrays;

/**
 * {@link BlockCodec}'s format written as a block fills, for a block that is stored again at every commit:
 * each sample is encoded once, into a time section and a value section that grow, and {@link #bytes()} puts
 * header and sections together. The bytes are exactly those {@link BlockCodec#encode} writes for the same
 * samples, which {@link BlockCodec#decode} reads.
 *
 * <p>The value encoding is one for the whole block: a decimal scale that only rises, until a value that is no
 * short decimal (or a rise that an earlier value does not survive exactly) turns the block to XOR for good.
 * Either change encodes the value section again from the first sample (at most ten times a block); the
 * earlier values are read back from the section itself (a decimal value comes back bit for bit, which is what
 * made it decimal), so a caller hands in only the samples that came since the last call and need not keep a
 * filling block's samples as arrays.
 */
public final class BlockEncoder {
    private static final int FIRST_BYTES = 64;
    /** The longest a varint gets. */
    private static final int VARINT_MAX = 10;
    /** The longest an XORed value gets: its control byte and 8 bytes. */
    private static final int XOR_MAX = 9;

    private byte[] times = new byte[FIRST_BYTES];
    private int timesLength;
    private byte[] values = new byte[FIRST_BYTES];
    private int valuesLength;
    private int count;
    private long lastTime;
    private long lastInterval;
    /** The scale of every value so far, as {@link BlockCodec#decimalScale} finds it; -1 once they are XORed. */
    private int scale;
    /** The last scaled value (decimal) or the last value's bits (XOR). */
    private long previous;

    /** Samples encoded so far. */
    public int size() {
        return count;
    }

    /** Encodes the next {@code length} samples, {@code t[offset..]} and {@code v[offset..]}. */
    public void append(long[] t, double[] v, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            appendTime(t[i]);
            if (scale >= 0) {
                appendDecimal(v[i]);
            } else {
                appendXor(v[i]);
            }
            count++;
        }
    }

    /** The block as {@link BlockCodec#encode} writes it, in a new array. */
    public byte[] bytes() {
        int header = 1 + varintLength(count);
        byte[] out = new byte[header + timesLength + (scale >= 0 ? 1 : 0) + valuesLength];
        out[0] = (byte) (scale >= 0 ? BlockCodec.DECIMAL : BlockCodec.XOR);
        varint(out, 1, count);
        System.arraycopy(times, 0, out, header, timesLength);
        int at = header + timesLength;
        if (scale >= 0) {
            out[at++] = (byte) scale;
        }
        System.arraycopy(values, 0, out, at, valuesLength);
        return out;
    }

    /** Bytes of heap its sections hold. */
    public long heldBytes() {
        return times.length + values.length;
    }

    private void appendTime(long t) {
        if (timesLength + VARINT_MAX > times.length) {
            times = grown(times, timesLength + VARINT_MAX);
        }
        long x;
        if (count == 0) {
            x = t;
        } else {
            long interval = t - lastTime;
            x = count == 1 ? interval : interval - lastInterval;
            lastInterval = interval;
        }
        lastTime = t;
        timesLength = varint(times, timesLength, BlockCodec.zigzag(x));
    }

    /** The value of the sample {@link #count} at the current decimal scale, or a change of encoding for it. */
    private void appendDecimal(double x) {
        int s = BlockCodec.scale(x, scale);
        if (s < 0) {
            toXor(earlierDecimals(), x);
        } else if (s > scale) {
            double[] earlier = earlierDecimals();
            for (double e : earlier) {
                if (!BlockCodec.exact(e, s)) {
                    toXor(earlier, x);
                    return;
                }
            }
            scale = s;
            valuesLength = 0;
            previous = 0;
            for (double e : earlier) {
                writeScaled(e);
            }
            writeScaled(x);
        } else {
            writeScaled(x);
        }
    }

    /** The values encoded so far, read back from the decimal section: exactly the values given. */
    private double[] earlierDecimals() {
        double[] out = new double[count];
        long scaled = 0;
        int at = 0;
        for (int i = 0; i < count; i++) {
            long x = 0;
            int shift = 0;
            byte b;
            do {
                b = values[at++];
                x |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            scaled += x >>> 1 ^ -(x & 1);
            out[i] = scaled / BlockCodec.POW10[scale];
        }
        return out;
    }

    private void writeScaled(double x) {
        if (valuesLength + VARINT_MAX > values.length) {
            values = grown(values, valuesLength + VARINT_MAX);
        }
        long scaled = Math.round(x * BlockCodec.POW10[scale]);
        valuesLength = varint(values, valuesLength, BlockCodec.zigzag(scaled - previous));
        previous = scaled;
    }

    /** The block turns to XOR for good: the {@code earlier} values and {@code x} are encoded again. */
    private void toXor(double[] earlier, double x) {
        scale = -1;
        valuesLength = 0;
        if (values.length < 8) {
            values = grown(values, 8);
        }
        previous = Double.doubleToRawLongBits(earlier.length > 0 ? earlier[0] : x);
        for (int b = 7; b >= 0; b--) {
            values[valuesLength++] = (byte) (previous >>> (8 * b));
        }
        for (int k = 1; k < earlier.length; k++) {
            appendXor(earlier[k]);
        }
        if (earlier.length > 0) {
            appendXor(x);
        }
    }

    private void appendXor(double value) {
        if (valuesLength + XOR_MAX > values.length) {
            values = grown(values, valuesLength + XOR_MAX);
        }
        long bits = Double.doubleToRawLongBits(value);
        long x = bits ^ previous;
        previous = bits;
        if (x == 0) {
            values[valuesLength++] = 0;
            return;
        }
        int lead = Long.numberOfLeadingZeros(x) / 8;
        int trail = Long.numberOfTrailingZeros(x) / 8;
        values[valuesLength++] = (byte) (lead << 4 | 8 - lead - trail);
        for (int b = 7 - lead; b >= trail; b--) {
            values[valuesLength++] = (byte) (x >>> (8 * b));
        }
    }

    /** At least {@code needed} bytes, and half as many again as before so that growing stays rare. */
    private static byte[] grown(byte[] a, int needed) {
        return Arrays.copyOf(a, Math.max(needed, a.length + (a.length >> 1)));
    }

    /** Writes {@code x} as a varint at {@code at}, where there is room; returns where it ends. */
    private static int varint(byte[] a, int at, long x) {
        while ((x & ~0x7FL) != 0) {
            a[at++] = (byte) (x & 0x7F | 0x80);
            x >>>= 7;
        }
        a[at++] = (byte) x;
        return at;
    }

    private static int varintLength(long x) {
        int n = 1;
        while ((x & ~0x7FL) != 0) {
            n++;
            x >>>= 7;
        }
        return n;
    }
}
