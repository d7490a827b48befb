package org.usblogd.audio;

/**
 * A second-order IIR section, transposed direct form II: two state variables, and in double precision it
 * keeps poles as close to z = 1 as the 20.6 Hz weighting poles at 96 kHz (0.9987) without trouble.
 */
final class Biquad {

    static final double TINY = 1e-100;

    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double s1;
    private double s2;

    /** The coefficients of b0 + b1 z^-1 + b2 z^-2 over a0 + a1 z^-1 + a2 z^-2, normalised by a0. */
    Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
        this.b0 = b0 / a0;
        this.b1 = b1 / a0;
        this.b2 = b2 / a0;
        this.a1 = a1 / a0;
        this.a2 = a2 / a0;
    }

    double process(double x) {
        double y = b0 * x + s1;
        s1 = b1 * x - a1 * y + s2;
        s2 = b2 * x - a2 * y;
        return y;
    }

    /**
     * Zeroes state that has decayed below {@link #TINY}. In silence the state decays towards zero and, left
     * alone, into subnormal numbers, whose arithmetic is some 35 times slower on x86 (LevelChainBenchmark:
     * 1.1 µs instead of 31 ns per sample); 1e-100 is far below any signal (-150 dBFS is 3e-8) and far above
     * the subnormal range (below 2.2e-308), which the slowest pole cannot cross between two calls.
     */
    void flushTiny() {
        if (Math.abs(s1) < TINY) {
            s1 = 0;
        }
        if (Math.abs(s2) < TINY) {
            s2 = 0;
        }
    }

    void reset() {
        s1 = 0;
        s2 = 0;
    }

    /** |H(e^jw)| at {@code frequency} for {@code sampleRate}: the exact steady-state gain for a sine. */
    double magnitude(double frequency, double sampleRate) {
        double w = 2 * Math.PI * frequency / sampleRate;
        double c1 = Math.cos(w);
        double s1w = Math.sin(w);
        double c2 = Math.cos(2 * w);
        double s2w = Math.sin(2 * w);
        double nr = b0 + b1 * c1 + b2 * c2;
        double ni = -(b1 * s1w + b2 * s2w);
        double dr = 1 + a1 * c1 + a2 * c2;
        double di = -(a1 * s1w + a2 * s2w);
        return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
    }
}
