package org.usblogd.audio;

import java.util.OptionalDouble;

/**
 * The levels of one weighted signal over consecutive intervals: Leq (energy average) and the Fast
 * time-weighted Lmax and Lmin of IEC 61672-1:2013 (5.8: exponential averaging of the squared signal with a
 * 125 ms time constant). The caller decides where an interval ends ({@link #close}); the detector runs on
 * across intervals, as a meter's does.
 *
 * <p>Levels are dBFS as AES17 defines it: a full-scale sine reads 0 dBFS, i.e. 10·lg(2·mean square), so a
 * full-scale square wave reads +3.01 dBFS. It is what audio tools and microphone data sheets quote
 * ("-26 dBFS at 94 dB SPL"), so a calibration offset taken from a data sheet applies as it stands.
 *
 * <p>Levels never go below {@link #FLOOR_DBFS}: digital silence would read -Infinity, which no store or
 * chart takes. -150 dBFS is below what any converter resolves (one LSB of 24 bits is -138 dBFS as a sine's
 * peak), so the floor only ever marks silence; a calibration moves it with everything else (-30 dB SPL for an
 * offset of 120 dB). Inputs that are NaN or infinite count as silence and are counted; nothing that enters
 * makes a level NaN.
 */
final class LevelMeter {

    static final double FLOOR_DBFS = -150;
    /** Fast, IEC 61672-1:2013 5.8.1. */
    static final double FAST_SECONDS = 0.125;
    /** Five time constants: the detector is then within 0.03 dB of a steady level. */
    static final double SETTLE_TIME_CONSTANTS = 5;

    private static final double FLOOR_POWER = Math.pow(10, FLOOR_DBFS / 10) / 2;
    /** Squares above this are clamped so that no sum reaches infinity: +120 dBFS, a million times full scale. */
    private static final double MAX_POWER = 1e12;

    private final Weighting weighting;
    private final Calibration calibration;
    private final double alpha;
    private final long settleFrames;

    private double fast;
    private long seen;
    private double sum;
    private long frames;
    private long invalid;
    private double max;
    private double min;
    private boolean timeWeighted;

    LevelMeter(Weighting weighting, double sampleRate, Calibration calibration) {
        if (!(sampleRate > 0)) {
            throw new IllegalArgumentException("sample rate " + sampleRate);
        }
        this.weighting = weighting;
        this.calibration = calibration;
        this.alpha = 1 - Math.exp(-1 / (FAST_SECONDS * sampleRate));
        this.settleFrames = (long) Math.ceil(SETTLE_TIME_CONSTANTS * FAST_SECONDS * sampleRate);
        startInterval();
    }

    /**
     * One frame: the mean over its channels of the squared weighted samples (1.0 is a full-scale DC value).
     */
    void add(double power) {
        if (!(power >= 0) || power == Double.POSITIVE_INFINITY) { // NaN fails the first test
            invalid++;
            power = 0;
        } else if (power > MAX_POWER) {
            power = MAX_POWER;
        }
        sum += power;
        frames++;
        fast += alpha * (power - fast);
        if (++seen >= settleFrames) {
            if (fast > max) {
                max = fast;
            }
            if (fast < min) {
                min = fast;
            }
            timeWeighted = true;
        }
    }

    /** Keeps the Fast detector out of subnormal numbers in silence, as {@link Biquad#flushTiny()} does. */
    void flushTiny() {
        if (fast < Biquad.TINY) {
            fast = 0;
        }
    }

    /** A sample to count as invalid that never reached {@link #add} as a whole frame. */
    void countInvalid(long samples) {
        invalid += samples;
    }

    /** The interval since the last close, and a new one started. */
    Levels close() {
        double leq = frames == 0 ? FLOOR_DBFS : decibels(sum / frames);
        OptionalDouble lmax = timeWeighted ? OptionalDouble.of(calibration.apply(decibels(max)))
                : OptionalDouble.empty();
        OptionalDouble lmin = timeWeighted ? OptionalDouble.of(calibration.apply(decibels(min)))
                : OptionalDouble.empty();
        Levels levels = new Levels(weighting, calibration.apply(leq), lmax, lmin, frames, invalid, calibration.unit());
        startInterval();
        return levels;
    }

    /** Restarts the Fast detector too, as after a gap in the stream: its Lmax/Lmin settle again. */
    void restart() {
        fast = 0;
        seen = 0;
    }

    private void startInterval() {
        sum = 0;
        frames = 0;
        invalid = 0;
        max = 0;
        min = Double.MAX_VALUE;
        timeWeighted = false;
    }

    /** 10·lg(2·power): a sine of amplitude 1 (mean square 1/2) is 0 dBFS; never below the floor. */
    static double decibels(double meanSquare) {
        if (!(meanSquare > FLOOR_POWER)) {
            return FLOOR_DBFS;
        }
        return 10 * Math.log10(2 * Math.min(meanSquare, MAX_POWER));
    }
}
