package org.usblogd.audio;

/**
 * One descriptor inside a larger array of descriptor bytes. Every read is bounded by bLength, not by the
 * array: a field the descriptor is too short to carry reads as -1, so a parser asks {@link #has} once and
 * never sees a value that belongs to the next descriptor.
 */
record Descriptor(byte[] bytes, int offset, int length) {

    int type() {
        return u8(1);
    }

    int subtype() {
        return u8(2);
    }

    /** Whether the descriptor carries {@code n} bytes from its start (bLength counted). */
    boolean has(int n) {
        return n <= length;
    }

    int u8(int at) {
        return at >= 0 && at < length ? bytes[offset + at] & 0xFF : -1;
    }

    int u16(int at) {
        return at >= 0 && at + 2 <= length ? u8(at) | u8(at + 1) << 8 : -1;
    }

    int u24(int at) {
        return at >= 0 && at + 3 <= length ? u16(at) | u8(at + 2) << 16 : -1;
    }

    /** Unsigned 32 bits as a long, or -1. */
    long u32(int at) {
        return at >= 0 && at + 4 <= length ? (u16(at) | (long) u16(at + 2) << 16) : -1;
    }
}
