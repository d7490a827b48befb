package org.usblogd.store.jdbc;

import java.util.Random;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

/**
 * What storing a filling block at every commit costs: a block of 4096 samples stored every 100 samples, by
 * the incremental encoder and by encoding the whole block again each time (as the writer did before it),
 * against encoding the full block once, in the same run. Prints samples/s and ratios and asserts nothing;
 * its name keeps it out of the build's test run. Run it alone:
 * {@code mvn -B -o test -pl bundles/store -am -Dtest=BlockEncoderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class BlockEncoderBenchmark {
    private static final int N = 4096;
    private static final int COMMIT_EVERY = 100;
    private static final int ROUNDS = 7;
    private static final long ROUND_NANOS = 1_000_000_000L;

    @Test
    void printsSamplesPerSecondOfEachWayToStoreAFillingBlock() {
        Random r = new Random(5);
        long[] t = new long[N];
        double[] temperature = new double[N];
        double[] noisy = new double[N];
        long now = 1_795_000_000_000_000L;
        double x = 21.41;
        for (int i = 0; i < N; i++) {
            now += 100_000 + r.nextInt(2_001) - 1_000; // 10 Hz, ±1 ms of host-clock jitter
            x = Math.round((x + (r.nextInt(5) - 2) * 0.01) * 100) / 100.0;
            t[i] = now;
            temperature[i] = x;
            noisy[i] = r.nextGaussian() * 1e3;
        }
        measure("a temperature (decimal)", t, temperature);
        measure("noisy doubles (XOR)", t, noisy);
    }

    private static void measure(String what, long[] t, double[] v) {
        double oneShot = samplesPerSecond(() -> BlockCodec.encode(t, v, N).length);
        double incremental = samplesPerSecond(() -> {
            BlockEncoder e = new BlockEncoder();
            long bytes = 0;
            for (int n = COMMIT_EVERY; ; n = Math.min(N, n + COMMIT_EVERY)) {
                e.append(t, v, e.size(), n - e.size());
                bytes += e.bytes().length;
                if (n == N) {
                    return bytes;
                }
            }
        });
        double incrementalOnce = samplesPerSecond(() -> {
            BlockEncoder e = new BlockEncoder();
            e.append(t, v, 0, N);
            return e.bytes().length;
        });
        double again = samplesPerSecond(() -> {
            long bytes = 0;
            for (int n = COMMIT_EVERY; ; n = Math.min(N, n + COMMIT_EVERY)) {
                bytes += BlockCodec.encode(t, v, n).length;
                if (n == N) {
                    return bytes;
                }
            }
        });
        System.out.printf("%s, block of %d samples, %d bytes:%n", what, N, BlockCodec.encode(t, v, N).length);
        System.out.printf("  one-shot encode of the full block (baseline)           %,14.0f samples/s  1.00%n", oneShot);
        System.out.printf("  incremental, stored every %d samples                  %,14.0f samples/s  %.2f%n",
                COMMIT_EVERY, incremental, incremental / oneShot);
        System.out.printf("  incremental, stored once                               %,14.0f samples/s  %.2f%n",
                incrementalOnce, incrementalOnce / oneShot);
        System.out.printf("  whole block encoded again every %d samples (before)   %,14.0f samples/s  %.2f%n",
                COMMIT_EVERY, again, again / oneShot);
        System.out.printf("  incremental against encoding again: %.1fx%n", incremental / again);
    }

    /** The best of several rounds of about a second each, after a warm-up round. */
    private static double samplesPerSecond(LongSupplier block) {
        long sink = 0;
        double best = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            long blocks = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                sink += block.getAsLong();
                blocks++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < ROUND_NANOS);
            if (round > 0) {
                best = Math.max(best, blocks * (double) N / elapsed * 1e9);
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the encoded lengths alive, so that nothing is optimised away
        }
        return best;
    }
}
