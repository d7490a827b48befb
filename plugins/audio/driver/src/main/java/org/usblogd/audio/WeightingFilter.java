package org.usblogd.audio;

/** One channel's weighting filter: a cascade of biquads and a gain; allocation-free per sample. */
final class WeightingFilter {

    private final Weighting weighting;
    private final double sampleRate;
    private final double gain;
    private final Biquad[] sections;

    WeightingFilter(Weighting weighting, double sampleRate, double gain, Biquad[] sections) {
        this.weighting = weighting;
        this.sampleRate = sampleRate;
        this.gain = gain;
        this.sections = sections.clone();
    }

    Weighting weighting() {
        return weighting;
    }

    double process(double x) {
        double y = x * gain;
        for (Biquad b : sections) {
            y = b.process(y);
        }
        return y;
    }

    /** See {@link Biquad#flushTiny()}: call it every few hundred samples. */
    void flushTiny() {
        for (Biquad b : sections) {
            b.flushTiny();
        }
    }

    /** Forgets the past: after a gap in the stream, the ringing of old samples would be no measurement. */
    void reset() {
        for (Biquad b : sections) {
            b.reset();
        }
    }

    /** The steady-state gain for a sine at {@code frequency}, in dB. */
    double responseDb(double frequency) {
        double m = gain;
        for (Biquad b : sections) {
            m *= b.magnitude(frequency, sampleRate);
        }
        return 20 * Math.log10(m);
    }
}
