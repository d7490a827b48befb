package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DoubleTextTest {
    private static final double[] POW10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

    /** What {@link DoubleText} wrote for {@code v}, or null when it left it to {@code Double.toString}. */
    private static String text(double v) {
        byte[] buf = new byte[3 + DoubleText.MOST_BYTES + 3];
        buf[0] = 'x';
        int end = DoubleText.write(v, buf, 3);
        return end < 0 ? null : new String(buf, 3, end - 3, StandardCharsets.US_ASCII);
    }

    private static void samePrintAsJava(double v) {
        String t = text(v);
        if (t != null) {
            assertThat(t).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(Double.toString(v));
        }
    }

    @Test
    void everyDecimalWithUpToNinePlacesIsPrintedAsJavaPrintsIt() {
        Random r = new Random(11);
        for (int scale = 0; scale <= 9; scale++) {
            for (long m = -20_000; m <= 20_000; m++) {
                samePrintAsJava(m / POW10[scale]);
            }
            for (int i = 0; i < 200_000; i++) {
                samePrintAsJava((r.nextLong() % 100_000_000_000_000L) / POW10[scale]);
            }
        }
    }

    @Test
    void anyOtherDoubleIsPrintedAsJavaPrintsItOrLeftToJava() {
        Random r = new Random(12);
        for (int i = 0; i < 1_000_000; i++) {
            samePrintAsJava(Double.longBitsToDouble(r.nextLong()));
            samePrintAsJava((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(14) - 5));
        }
        double[] edges = { 0.0, -0.0, 1e-3, -1e-3, Math.nextDown(1e-3), Math.nextUp(1e-3), 1e7, Math.nextDown(1e7),
            9_999_999.999, 0.1 + 0.2, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123_456_789.125, 0.30000000000000004, 1e15, 1e-15 };
        for (double v : edges) {
            samePrintAsJava(v);
        }
        assertThat(text(Double.NaN)).isNull();
        assertThat(text(1e7)).isNull(); // 1.0E7: Java's scientific notation starts there
        assertThat(text(Math.nextDown(1e-3))).isNull();
    }

    @Test
    void aLoggersReadingsAreWrittenWithoutJava() {
        assertThat(text(21.41)).isEqualTo("21.41");
        assertThat(text(-273.15)).isEqualTo("-273.15");
        assertThat(text(412)).isEqualTo("412.0");
        assertThat(text(0.005)).isEqualTo("0.005");
        assertThat(text(-0.0)).isEqualTo("-0.0");
        assertThat(text(0.0)).isEqualTo("0.0");
        assertThat(text(1e-3)).isEqualTo("0.001");
        assertThat(text(9_999_999.5)).isEqualTo("9999999.5");
        assertThat(text(0.1 + 0.2)).isNull(); // 0.30000000000000004: 17 digits, Java works them out
    }
}
