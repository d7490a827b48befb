package org.usblogd.framework;

/**
 * Fixed-width decimal digits as ASCII bytes, three at a time from a table: a division is what a digit costs
 * otherwise, and an export writes tens of digits per row, most of them before the JIT has compiled it fully.
 */
final class AsciiDigits {
    private static final byte[] THREE = new byte[3_000];

    static {
        for (int i = 0; i < 1_000; i++) {
            THREE[3 * i] = (byte) ('0' + i / 100);
            THREE[3 * i + 1] = (byte) ('0' + i / 10 % 10);
            THREE[3 * i + 2] = (byte) ('0' + i % 10);
        }
    }

    private AsciiDigits() {
    }

    /** {@code value} (0 to 999) as three digits at {@code at}, with leading zeros. */
    static void three(int value, byte[] buf, int at) {
        System.arraycopy(THREE, 3 * value, buf, at, 3);
    }

    /** {@code value} (0 to 99) as two digits at {@code at}, with a leading zero. */
    static void two(int value, byte[] buf, int at) {
        buf[at] = THREE[3 * value + 1];
        buf[at + 1] = THREE[3 * value + 2];
    }

    /** {@code value} (0 or more) as {@code count} digits ending before {@code end}, with leading zeros. */
    static void fixed(long value, int count, byte[] buf, int end) {
        int p = end;
        long v = value;
        for (; count >= 3; count -= 3, p -= 3) {
            three((int) (v % 1_000), buf, p - 3);
            v /= 1_000;
        }
        for (; count > 0; count--) {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** How many digits {@code value} (0 or more) has. */
    static int length(long value) {
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        return n;
    }
}
