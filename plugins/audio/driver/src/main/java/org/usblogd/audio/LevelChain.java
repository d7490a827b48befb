package org.usblogd.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * From isochronous packets to intervals of levels: PCM decoding, a weighting filter per channel and
 * weighting, and a {@link LevelMeter} per weighting. Channels are combined by energy (the mean of their
 * squared weighted samples), so a stereo device that sends the same signal twice reads as its mono
 * twin, and two microphones read their mean power. Nothing per sample allocates: the sample buffer grows
 * only when a packet is larger than any before it.
 *
 * <p>Not thread-safe: one session thread feeds it.
 */
final class LevelChain {

    /** A level a second, as the issue asks by default. */
    static final double DEFAULT_INTERVAL_SECONDS = 1.0;
    /** Eight a second: an interval as long as the Fast time constant. */
    static final double FAST_INTERVAL_SECONDS = 0.125;

    /**
     * Samples beyond this (+60 dBFS) come from no converter; clamping them to silence keeps the filters'
     * state finite, which a 1e300 would not: once a biquad holds infinity it holds NaN forever.
     */
    static final double MAX_AMPLITUDE = 1000;

    /** Subnormal numbers are flushed every 256 frames: the slowest pole cannot reach them in that time. */
    private static final int FLUSH_MASK = 255;

    private final Pcm pcm;
    private final int channels;
    private final Weighting[] weightings;
    private final WeightingFilter[][] filters;
    private final LevelMeter[] meters;
    private final long intervalFrames;
    private final Consumer<Interval> out;
    private double[] samples = new double[0];
    private long framesInInterval;
    private long index;
    private long dropped;
    private long cutAtStart;

    /**
     * @param intervalSeconds the length of an interval (1 s by default; 0.125 s "fast"); rounded to whole
     *        frames
     * @param out receives each interval as it ends, on the feeding thread
     */
    LevelChain(int sampleRate, int channels, int subslotBytes, double intervalSeconds, Calibration calibration,
            List<Weighting> weightings, Consumer<Interval> out) {
        if (!(intervalSeconds > 0) || weightings.isEmpty()) {
            throw new IllegalArgumentException("interval " + intervalSeconds + " s, weightings " + weightings);
        }
        this.pcm = new Pcm(channels, subslotBytes);
        this.channels = channels;
        this.weightings = weightings.toArray(new Weighting[0]);
        this.filters = new WeightingFilter[this.weightings.length][channels];
        this.meters = new LevelMeter[this.weightings.length];
        for (int w = 0; w < this.weightings.length; w++) {
            for (int c = 0; c < channels; c++) {
                filters[w][c] = this.weightings[w].filter(sampleRate);
            }
            meters[w] = new LevelMeter(this.weightings[w], sampleRate, calibration);
        }
        this.intervalFrames = Math.max(1, Math.round(intervalSeconds * sampleRate));
        this.out = out;
    }

    /** One isochronous packet's bytes; an empty one counts as dropped. */
    void packet(byte[] data, int offset, int length) {
        if (length <= 0) {
            dropped++;
            return;
        }
        int capacity = (length / pcm.frameBytes() + 1) * channels;
        if (samples.length < capacity) {
            samples = new double[capacity];
        }
        int frames = pcm.decode(data, offset, length, samples);
        samples(samples, frames);
    }

    /** Packets the stream lost (failed or never completed); counted in the interval they were due in. */
    void missing(int packets) {
        if (packets > 0) {
            dropped += packets;
        }
    }

    /** Decoded frames, interleaved; NaN, infinite and absurd samples count as silence (and are counted). */
    void samples(double[] interleaved, int frames) {
        frames = Math.min(frames, interleaved.length / channels);
        int at = 0;
        for (int f = 0; f < frames; f++, at += channels) {
            for (int w = 0; w < weightings.length; w++) {
                WeightingFilter[] perChannel = filters[w];
                double power = 0;
                for (int c = 0; c < channels; c++) {
                    double x = interleaved[at + c];
                    if (!(Math.abs(x) <= MAX_AMPLITUDE)) { // NaN, infinite, or beyond any converter
                        meters[w].countInvalid(1);
                        x = 0;
                    }
                    double y = perChannel[c].process(x);
                    power += y * y;
                }
                meters[w].add(channels == 1 ? power : power / channels);
            }
            if (++framesInInterval == intervalFrames) {
                emit();
            }
            if ((f & FLUSH_MASK) == FLUSH_MASK) {
                flushTiny();
            }
        }
        flushTiny();
    }

    private void flushTiny() {
        for (int w = 0; w < weightings.length; w++) {
            for (WeightingFilter filter : filters[w]) {
                filter.flushTiny();
            }
            meters[w].flushTiny();
        }
    }

    /**
     * Starts the filters and the Fast detectors afresh, as after the stream was stopped and started again:
     * what they remember is no longer the signal before this one. The interval goes on.
     */
    void restart() {
        for (int w = 0; w < weightings.length; w++) {
            for (WeightingFilter filter : filters[w]) {
                filter.reset();
            }
            meters[w].restart();
        }
    }

    private void emit() {
        List<Levels> levels = new ArrayList<>(meters.length);
        for (LevelMeter m : meters) {
            levels.add(m.close());
        }
        long cut = pcm.cutBytes();
        out.accept(new Interval(index++, levels, dropped, cut - cutAtStart));
        cutAtStart = cut;
        dropped = 0;
        framesInInterval = 0;
    }
}
