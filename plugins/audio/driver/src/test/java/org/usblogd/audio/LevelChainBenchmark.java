package org.usblogd.audio;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What the per-sample path costs: 48 kHz stereo 16-bit packets of 1 ms through PCM decoding, the weighting
 * filters and the level meters. Prints figures and asserts nothing; its name keeps it out of the build's
 * test run. Run it alone:
 * {@code mvn -o test -pl plugins/audio/driver -am -Dtest=LevelChainBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class LevelChainBenchmark {

    static final int RATE = 48000;
    static final int CHANNELS = 2;

    @Test
    void printsNanosecondsPerSampleAt48kHzStereo() {
        for (boolean silent : new boolean[] { false, true }) {
            for (List<Weighting> weightings : List.of(List.of(Weighting.A), List.of(Weighting.A, Weighting.C,
                    Weighting.Z))) {
                measure(weightings, silent);
            }
        }
    }

    private static void measure(List<Weighting> weightings, boolean silent) {
        {
            LevelChain chain = new LevelChain(RATE, CHANNELS, 2, 1, Calibration.NONE, weightings, i -> { });
            byte[] packet = silent ? new byte[RATE / 1000 * CHANNELS * 2] : packet();
            run(chain, packet(), 1); // filter state that decays through subnormal numbers when silence follows
            run(chain, packet, 30); // warm-up: let the JIT compile the loop
            long best = Long.MAX_VALUE;
            int seconds = 60;
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                run(chain, packet, seconds);
                best = Math.min(best, System.nanoTime() - start);
            }
            double perFrame = (double) best / (seconds * RATE);
            double perSample = perFrame / CHANNELS;
            double coreShare = 100.0 * best / (seconds * 1e9);
            System.out.printf("audio chain, weightings %s, 48 kHz stereo 16-bit %s: %.1f ns/sample, %.1f ns/frame, "
                    + "%.2f %% of one core%n", weightings, silent ? "digital silence" : "1 kHz tone", perSample,
                    perFrame, coreShare);
        }
    }

    private static void run(LevelChain chain, byte[] packet, int seconds) {
        for (int ms = 0; ms < seconds * 1000; ms++) {
            chain.packet(packet, 0, packet.length);
        }
    }

    /** 1 ms of a 1 kHz tone at -20 dBFS in both channels. */
    private static byte[] packet() {
        byte[] p = new byte[RATE / 1000 * CHANNELS * 2];
        for (int i = 0; i < RATE / 1000; i++) {
            short s = (short) Math.round(3276.8 * Math.sin(2 * Math.PI * 1000 * i / RATE));
            for (int c = 0; c < CHANNELS; c++) {
                p[4 * i + 2 * c] = (byte) s;
                p[4 * i + 2 * c + 1] = (byte) (s >> 8);
            }
        }
        return p;
    }
}
