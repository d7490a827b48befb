package org.usblogd.audio;

/**
 * The frequency weightings of IEC 61672-1:2013 (5.5 and Annex E), as digital filters.
 *
 * <p>Design: the standard's analog transfer functions, with poles at f1 = 20.598997 Hz (double), f2 =
 * 107.65265 Hz, f3 = 737.86223 Hz and f4 = 12194.217 Hz (double) and zeros at 0 Hz (four for A, two for C),
 * mapped to the z plane by the bilinear transform one first-order factor at a time, paired into biquads,
 * and scaled to exactly 0 dB at 1 kHz at the rate in use. The bilinear transform keeps every stable analog
 * pole stable and the low end, where A weighting falls 70 dB, exact to hundredths of a dB; its cost is
 * frequency warping near Nyquist: the digital response at f equals the analog one at
 * (fs/π)·tan(πf/fs), always lower than the design goal, and zero at fs/2.
 *
 * <p>Where that leaves class 1 (IEC 61672-1:2013 Table 3 acceptance limits; checked in WeightingTest):
 * at 48 kHz and 44.1 kHz every nominal frequency from 10 Hz to 20 kHz (at 10 kHz they read 1.2 and
 * 1.5 dB low, at 16 kHz 6.2 and 8.2 dB, inside the -16 dB limit; at 20 kHz there is no lower limit); at
 * 96 kHz likewise; at 32 kHz up to 8 kHz; at 16 kHz up to 4 kHz; at 8 kHz up to 2.5 kHz. Above those
 * the reading is low, never high. Microphones at 44.1 or 48 kHz are the rule; a lower rate is a
 * telephone-band device, whose own response ends about where these limits do.
 */
enum Weighting {
    A, C, Z;

    static final double F1 = 20.598997;
    static final double F2 = 107.65265;
    static final double F3 = 737.86223;
    static final double F4 = 12194.217;

    /** Rates the design is meant for: below 8 kHz the weightings are mostly above Nyquist. */
    static final double MIN_RATE = 8000;
    static final double MAX_RATE = 192000;

    /** A new filter (its own state) for {@code sampleRate}. */
    WeightingFilter filter(double sampleRate) {
        if (!(sampleRate >= MIN_RATE && sampleRate <= MAX_RATE)) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz outside 8 kHz to 192 kHz");
        }
        double k = 2 * sampleRate;
        Biquad[] sections = switch (this) {
        case A -> new Biquad[] { pair(highPass(F1, k), highPass(F1, k)), pair(highPass(F2, k), highPass(F3, k)),
                pair(lowPass(F4, k), lowPass(F4, k)) };
        case C -> new Biquad[] { pair(highPass(F1, k), highPass(F1, k)), pair(lowPass(F4, k), lowPass(F4, k)) };
        case Z -> new Biquad[0];
        };
        double at1k = 1;
        for (Biquad b : sections) {
            at1k *= b.magnitude(1000, sampleRate);
        }
        return new WeightingFilter(this, sampleRate, 1 / at1k, sections);
    }

    /**
     * The design goal of IEC 61672-1:2013 Annex E (E.2, E.3) in dB at {@code frequency}: the analog response,
     * normalised at 1 kHz. For Z, 0.
     */
    double goalDb(double frequency) {
        if (this == Z) {
            return 0;
        }
        return 20 * Math.log10(analog(frequency) / analog(1000));
    }

    private double analog(double f) {
        double f2 = f * f;
        double c = F4 * F4 * f2 / ((f2 + F1 * F1) * (f2 + F4 * F4));
        return this == A ? c * f2 / Math.sqrt((f2 + F2 * F2) * (f2 + F3 * F3)) : c;
    }

    /** s/(s + ω) with s = k(1 - z^-1)/(1 + z^-1): numerator {k, -k}, denominator {k + ω, ω - k}. */
    private static double[] highPass(double pole, double k) {
        double w = 2 * Math.PI * pole;
        return new double[] { k, -k, k + w, w - k };
    }

    /** ω/(s + ω) bilinear: numerator {ω, ω}, denominator {k + ω, ω - k} (unity gain at DC; scaled later). */
    private static double[] lowPass(double pole, double k) {
        double w = 2 * Math.PI * pole;
        return new double[] { w, w, k + w, w - k };
    }

    /** The product of two first-order factors {n0, n1, d0, d1} as one biquad. */
    private static Biquad pair(double[] p, double[] q) {
        return new Biquad(p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1], p[2] * q[2],
                p[2] * q[3] + p[3] * q[2], p[3] * q[3]);
    }
}
