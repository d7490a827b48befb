package org.usblogd.store.jdbc;

import java.io.ByteArrayOutputStream;

/**
 * A block of one channel's samples, compressed the way time-series engines do: timestamps as the first
 * time, the first interval and then delta-of-deltas (zig-zag varints: a steady rate costs one byte per
 * sample, clock jitter of a millisecond two); values, when every value of the block is a decimal with at
 * most 9 digits after the point that comes back bit for bit, as those scaled integers' deltas (a sensor's
 * next reading is usually a few steps from its last: one byte), and otherwise as the XOR of each double
 * with the previous one, without its leading and trailing zero bytes. Lossless either way.
 *
 * <pre>
 * byte  encoding: 1 decimal, 2 xor
 * varint n, zz t0, zz interval1, zz delta-of-delta...
 * decimal: byte scale, zz first scaled value, zz deltas...
 * xor:     8 bytes of the first value, then per value a byte (leading zero bytes &lt;&lt; 4 | length) and
 *          length bytes of the XOR (0 when the value repeats)
 * </pre>
 *
 * A block that is stored again as it fills is written by {@link BlockEncoder}, to the same bytes.
 */
public final class BlockCodec {
    static final int DECIMAL = 1;
    static final int XOR = 2;
    static final int MAX_SCALE = 9;
    /** Larger values leave too few digits for 9 decimals within a long's exact range. */
    static final double MAX_DECIMAL = 9e6;
    static final double[] POW10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

    /** A decoded block. */
    public record Block(long[] times, double[] values) {
        public int size() {
            return times.length;
        }
    }

    private BlockCodec() {
    }

    public static byte[] encode(long[] t, double[] v, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 3 + 16);
        int scale = decimalScale(v, n);
        out.write(scale >= 0 ? DECIMAL : XOR);
        varint(out, n);
        if (n > 0) {
            varint(out, zigzag(t[0]));
        }
        if (n > 1) {
            varint(out, zigzag(t[1] - t[0]));
        }
        for (int i = 2; i < n; i++) {
            varint(out, zigzag((t[i] - t[i - 1]) - (t[i - 1] - t[i - 2])));
        }
        if (scale >= 0) {
            out.write(scale);
            long previous = 0;
            for (int i = 0; i < n; i++) {
                long scaled = Math.round(v[i] * POW10[scale]);
                varint(out, zigzag(scaled - previous));
                previous = scaled;
            }
        } else if (n > 0) {
            long previous = Double.doubleToRawLongBits(v[0]);
            for (int b = 7; b >= 0; b--) {
                out.write((int) (previous >>> (8 * b)));
            }
            for (int i = 1; i < n; i++) {
                long bits = Double.doubleToRawLongBits(v[i]);
                long x = bits ^ previous;
                previous = bits;
                if (x == 0) {
                    out.write(0);
                    continue;
                }
                int lead = Long.numberOfLeadingZeros(x) / 8;
                int trail = Long.numberOfTrailingZeros(x) / 8;
                int len = 8 - lead - trail;
                out.write(lead << 4 | len);
                for (int b = 7 - lead; b >= trail; b--) {
                    out.write((int) (x >>> (8 * b)));
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a block.
     *
     * @throws IllegalArgumentException when the bytes are not a block (a damaged row): never anything else
     */
    public static Block decode(byte[] data) {
        try {
            Reader r = new Reader(data);
            int encoding = r.u8();
            long count = r.varint();
            if (encoding != DECIMAL && encoding != XOR || count < 0 || count > data.length) {
                throw new IllegalArgumentException("not a sample block (encoding " + encoding + ", " + count
                        + " samples in " + data.length + " bytes)");
            }
            int n = (int) count;
            long[] t = new long[n];
            double[] v = new double[n];
            if (n > 0) {
                t[0] = unzigzag(r.varint());
            }
            long interval = 0;
            if (n > 1) {
                interval = unzigzag(r.varint());
                t[1] = t[0] + interval;
            }
            for (int i = 2; i < n; i++) {
                interval += unzigzag(r.varint());
                t[i] = t[i - 1] + interval;
            }
            if (encoding == DECIMAL) {
                int scale = r.u8();
                if (scale > MAX_SCALE) {
                    throw new IllegalArgumentException("decimal scale " + scale);
                }
                long scaled = 0;
                for (int i = 0; i < n; i++) {
                    scaled += unzigzag(r.varint());
                    v[i] = scaled / POW10[scale];
                }
            } else if (n > 0) {
                long bits = 0;
                for (int b = 0; b < 8; b++) {
                    bits = bits << 8 | r.u8();
                }
                v[0] = Double.longBitsToDouble(bits);
                for (int i = 1; i < n; i++) {
                    int control = r.u8();
                    int lead = control >>> 4;
                    int len = control & 0x0F;
                    if (lead + len > 8) {
                        throw new IllegalArgumentException("XOR control byte " + control);
                    }
                    long x = 0;
                    for (int b = 0; b < len; b++) {
                        x = x << 8 | r.u8();
                    }
                    x <<= 8 * (8 - lead - len);
                    bits ^= x;
                    v[i] = Double.longBitsToDouble(bits);
                }
            }
            return new Block(t, v);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("sample block cut short (" + data.length + " bytes)");
        }
    }

    /** The smallest scale at which every value is a decimal that comes back exactly; -1 when there is none. */
    static int decimalScale(double[] v, int n) {
        int scale = 0;
        for (int i = 0; i < n; i++) {
            int s = scale(v[i], scale);
            if (s < 0) {
                return -1;
            }
            if (s > scale) {
                // a large value exact at a smaller scale may not be at this one (its scaled long past 2^52)
                for (int k = 0; k < i; k++) {
                    if (!exact(v[k], s)) {
                        return -1;
                    }
                }
                scale = s;
            }
        }
        return scale;
    }

    /** The smallest scale from {@code from} on at which {@code x} comes back exactly; -1 when there is none. */
    static int scale(double x, int from) {
        if (!Double.isFinite(x) || Math.abs(x) > MAX_DECIMAL) {
            return -1;
        }
        int scale = from;
        while (scale <= MAX_SCALE && !exact(x, scale)) {
            scale++;
        }
        return scale > MAX_SCALE ? -1 : scale;
    }

    static boolean exact(double x, int scale) {
        double scaled = x * POW10[scale];
        long r = Math.round(scaled);
        return Math.abs(scaled - r) < 1e-6 && Double.doubleToRawLongBits(r / POW10[scale])
                == Double.doubleToRawLongBits(x);
    }

    static long zigzag(long x) {
        return x << 1 ^ x >> 63;
    }

    private static long unzigzag(long x) {
        return x >>> 1 ^ -(x & 1);
    }

    private static void varint(ByteArrayOutputStream out, long x) {
        while ((x & ~0x7FL) != 0) {
            out.write((int) (x & 0x7F) | 0x80);
            x >>>= 7;
        }
        out.write((int) x);
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int u8() {
            return data[pos++] & 0xFF;
        }

        long varint() {
            long x = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = u8();
                x |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return x;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }
    }
}
