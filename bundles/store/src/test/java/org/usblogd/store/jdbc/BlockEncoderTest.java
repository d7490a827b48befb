package org.usblogd.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

/**
 * The incremental encoder writes, for every prefix of a block at whatever commits, the bytes the one-shot
 * encoder writes: existing databases and the one decoder rely on that format. It is handed only the samples
 * that came since the last commit (the writer keeps no others), so a change of encoding reads the earlier
 * values back from its own bytes.
 */
class BlockEncoderTest {

    /**
     * Feeds {@code t}, {@code v} to one encoder in steps of {@code step}, each step in arrays of its own that
     * are overwritten afterwards, and checks bytes() after each.
     */
    private static void sameAsOneShot(long[] t, double[] v, int step) {
        BlockEncoder e = new BlockEncoder();
        int n = 0;
        while (true) {
            append(e, t, v, n);
            byte[] incremental = e.bytes();
            assertThat(incremental).as("%d samples, committed every %d", n, step)
                    .isEqualTo(BlockCodec.encode(t, v, n));
            roundTrips(incremental, t, v, n);
            if (n == t.length) {
                return;
            }
            n = Math.min(t.length, n + step);
        }
    }

    /** Hands the encoder the samples from its size up to {@code n}, in a copy that is spoilt once it returns. */
    private static void append(BlockEncoder e, long[] t, double[] v, int n) {
        int from = e.size();
        long[] window = new long[3 + n - from]; // three slots of garbage before: the offset is honoured
        double[] values = new double[window.length];
        Arrays.fill(window, Long.MAX_VALUE);
        Arrays.fill(values, Double.NaN);
        System.arraycopy(t, from, window, 3, n - from);
        System.arraycopy(v, from, values, 3, n - from);
        e.append(window, values, 3, n - from);
        Arrays.fill(window, Long.MIN_VALUE);
        Arrays.fill(values, Double.NaN);
    }

    private static void roundTrips(byte[] block, long[] t, double[] v, int n) {
        BlockCodec.Block b = BlockCodec.decode(block);
        assertThat(b.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(b.times()[i]).isEqualTo(t[i]);
            assertThat(Double.doubleToRawLongBits(b.values()[i])).as("value %d: %s", i, v[i])
                    .isEqualTo(Double.doubleToRawLongBits(v[i]));
        }
    }

    private static long[] times(Random r, int n) {
        long[] t = new long[n];
        long now = 1_795_000_000_000_000L + r.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            now += switch (r.nextInt(4)) {
                case 0 -> 100_000; // steady
                case 1 -> 100_000 + r.nextInt(2_001) - 1_000; // jitter
                case 2 -> r.nextInt(3) == 0 ? 0 : 1; // repeated times, tiny steps
                default -> (long) r.nextInt(Integer.MAX_VALUE) * r.nextInt(1_000); // gaps
            };
            t[i] = now;
        }
        return t;
    }

    private static double[] values(int n, IntToDoubleFunction f) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(i);
        }
        return v;
    }

    @Test
    void randomBlocksCommittedAtRandomStepsGiveTheOneShotBytesAtEveryCommit() {
        Random r = new Random(11);
        for (int round = 0; round < 400; round++) {
            int n = r.nextInt(round % 10 == 0 ? 4097 : 300);
            long[] t = times(r, n);
            int kind = r.nextInt(6);
            int scale = r.nextInt(10);
            double[] v = values(n, i -> switch (kind) {
                case 0 -> Math.round(r.nextGaussian() * 1e4) / Math.pow(10, scale); // one scale from the start
                case 1 -> Math.round(r.nextGaussian() * 1e4) / Math.pow(10, r.nextInt(scale + 1)); // scale rises
                case 2 -> r.nextGaussian() * 1e9; // XOR from the start
                case 3 -> r.nextInt(50) == 0 ? r.nextDouble() : r.nextInt(100) / 10.0; // turns to XOR somewhere
                case 4 -> r.nextInt(3) == 0 ? 21.5 : -0.0; // repeats
                default -> r.nextInt(200) == 0 ? Double.NaN : r.nextInt(20) - 10.0;
            });
            sameAsOneShot(t, v, 1 + r.nextInt(150));
        }
    }

    @Test
    void bytesAfterEverySampleAndOnlyAtTheEndAreTheOneShotBytes() {
        Random r = new Random(12);
        long[] t = times(r, 1000);
        double[] v = values(1000, i -> i % 97 == 0 ? 0.125 : Math.round(r.nextGaussian() * 100) / 10.0);
        sameAsOneShot(t, v, 1);
        sameAsOneShot(t, v, 1000);
    }

    @Test
    void anEmptyBlockIsTheOneShotEmptyBlock() {
        BlockEncoder e = new BlockEncoder();
        assertThat(e.bytes()).isEqualTo(BlockCodec.encode(new long[0], new double[0], 0));
        e.append(new long[0], new double[0], 0, 0);
        assertThat(e.bytes()).isEqualTo(BlockCodec.encode(new long[0], new double[0], 0));
        assertThat(BlockCodec.decode(e.bytes()).size()).isZero();
    }

    @Test
    void aScaleThatRisesMidBlockEncodesTheValuesAgainAtTheNewScale() {
        long[] t = new long[600];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1_000L * i;
        }
        // whole numbers, then tenths, then thousandths, then nine decimals: four scales in one block
        double[] v = values(600, i -> i < 200 ? i : i < 300 ? i / 10.0 : i < 500 ? i / 1000.0 : i / 1e9);
        sameAsOneShot(t, v, 7);
        sameAsOneShot(t, v, 1);
        sameAsOneShot(t, v, 600);
        BlockEncoder e = new BlockEncoder();
        append(e, t, v, 600);
        assertThat(e.bytes()[0]).as("still decimal").isEqualTo((byte) 1);
    }

    @Test
    void aValueThatIsNoShortDecimalTurnsTheBlockToXorForGood() {
        long[] t = new long[400];
        for (int i = 0; i < t.length; i++) {
            t[i] = 500L * i;
        }
        double[] v = values(400, i -> i == 250 ? 0.1 + 0.2 : i / 4.0);
        BlockEncoder e = new BlockEncoder();
        append(e, t, v, 250);
        assertThat(e.bytes()[0]).as("decimal before").isEqualTo((byte) 1);
        append(e, t, v, 251);
        assertThat(e.bytes()[0]).as("XOR from the value on").isEqualTo((byte) 2);
        append(e, t, v, 400);
        assertThat(e.bytes()[0]).as("XOR for good").isEqualTo((byte) 2);
        assertThat(e.bytes()).isEqualTo(BlockCodec.encode(t, v, 400));
        sameAsOneShot(t, v, 3);
    }

    @Test
    void aScaleRiseThatALargeEarlierValueWouldNotSurviveTurnsTheBlockToXor() {
        long[] t = { 10, 20, 30, 40 };
        double[] v = { 0.5, 4233796.696, 12.25, 5e-9 };
        BlockEncoder e = new BlockEncoder();
        append(e, t, v, 3);
        assertThat(e.bytes()[0]).as("decimal at 3 digits").isEqualTo((byte) 1);
        append(e, t, v, 4);
        assertThat(e.bytes()[0]).as("XOR: 9 digits would change 4233796.696").isEqualTo((byte) 2);
        sameAsOneShot(t, v, 1);
    }

    @Test
    void nanInfinitiesNegativeZeroAndHugeValuesGiveTheOneShotBytes() {
        double[] special = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 9e6,
                9_000_000.5, -9e6, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7ff8_0000_dead_beefL),
                1.0 / 3, 123456.789, 1e-9, 2e-10, 4233796.696, 5e-9 };
        Random r = new Random(13);
        for (int round = 0; round < 300; round++) {
            int n = 1 + r.nextInt(60);
            long[] t = times(r, n);
            double[] v = values(n, i -> r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : r.nextInt(1000) / 100.0);
            sameAsOneShot(t, v, 1 + r.nextInt(n));
        }
        for (double first : special) {
            long[] t = { 1, 2, 3 };
            sameAsOneShot(t, new double[] { first, 1.5, first }, 1);
        }
    }

    @Test
    void timesThatGoBackwardsOrJumpFarGiveTheOneShotBytes() {
        long[] t = { 5_000_000_000_000L, 4_999_999_999_000L, Long.MAX_VALUE / 4, 0, -7, Long.MIN_VALUE, Long.MAX_VALUE };
        double[] v = { 1.5, -2.25, 1e-9, 123456.789, 0, 1, 2 };
        sameAsOneShot(t, v, 1);
        sameAsOneShot(t, v, 3);
    }

    @Test
    void itsSectionsGrowWithTheBlockAndAreWhatItHolds() {
        BlockEncoder e = new BlockEncoder();
        long empty = e.heldBytes();
        long[] t = new long[4096];
        double[] v = new double[4096];
        for (int i = 0; i < t.length; i++) {
            t[i] = 10L * i;
            v[i] = i % 10;
        }
        append(e, t, v, 4096);
        byte[] block = e.bytes();
        assertThat(e.size()).isEqualTo(4096);
        assertThat(e.heldBytes()).isGreaterThan(empty).isGreaterThanOrEqualTo(block.length - 16)
                .isLessThanOrEqualTo(2L * block.length + 128);
    }
}
