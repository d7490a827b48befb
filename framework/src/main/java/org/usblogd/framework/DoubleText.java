package org.usblogd.framework;

/**
 * A double as {@code Double.toString} prints it, written as ASCII bytes without making a string, for the values
 * a logger mostly holds: decimals with few digits (21.41, 0.005, 412.0). {@code Double.toString} works out the
 * digits of any double the long way, and on Java 17 that was a third of exporting a channel-day. Here the
 * fewest decimal places that give the value back exactly are tried in turn; the digits they give are then the
 * shortest that read back as the value, which are those {@code Double.toString} prints in its plain notation
 * (10^-3 to 10^7). Other values (more than 15 digits, NaN, infinities, scientific notation) are left to it.
 */
final class DoubleText {
    /** The most bytes {@link #write} writes: a sign, 15 digits, a point and a leading zero's room. */
    static final int MOST_BYTES = 20;
    private static final int MOST_DIGITS = 15;
    private static final double[] POW10 = new double[MOST_DIGITS + 1];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p; // exact: every power of ten to 10^22 is a double
            p *= 10;
        }
    }

    private DoubleText() {
    }

    /**
     * Writes {@code v} into {@code buf} at {@code at} (room for {@link #MOST_BYTES} needed) and returns where it
     * ended, or -1, having written nothing that counts, when {@code Double.toString} must print it.
     */
    static int write(double v, byte[] buf, int at) {
        double a = Math.abs(v);
        if (!(a >= 1e-3 && a < 1e7)) {
            return a == 0 ? zero(v, buf, at) : -1;
        }
        for (int scale = 0; scale <= MOST_DIGITS; scale++) {
            double m = Math.rint(a * POW10[scale]);
            if (m >= POW10[MOST_DIGITS]) {
                return -1;
            }
            // both exact, so the quotient is the double nearest m / 10^scale, as parsing the text would give
            if (m / POW10[scale] == a) {
                return digits((long) m, scale, v < 0, buf, at);
            }
        }
        return -1;
    }

    private static int zero(double v, byte[] buf, int at) {
        int i = at;
        if (Double.doubleToRawLongBits(v) != 0) {
            buf[i++] = '-';
        }
        buf[i++] = '0';
        buf[i++] = '.';
        buf[i++] = '0';
        return i;
    }

    /** {@code m} with a point {@code scale} digits from its end; at least one digit on each side of it. */
    private static int digits(long m, int scale, boolean negative, byte[] buf, int at) {
        int i = at;
        if (negative) {
            buf[i++] = '-';
        }
        if (scale == 0) {
            int end = i + AsciiDigits.length(m);
            AsciiDigits.fixed(m, end - i, buf, end);
            buf[end] = '.';
            buf[end + 1] = '0';
            return end + 2;
        }
        long whole = m / (long) POW10[scale];
        int wholeDigits = AsciiDigits.length(whole);
        int end = i + wholeDigits + 1 + scale;
        AsciiDigits.fixed(whole, wholeDigits, buf, i + wholeDigits);
        buf[i + wholeDigits] = '.';
        AsciiDigits.fixed(m - whole * (long) POW10[scale], scale, buf, end);
        return end;
    }
}
