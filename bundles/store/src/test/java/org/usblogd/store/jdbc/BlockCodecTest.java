package org.usblogd.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class BlockCodecTest {

    private static void roundTrip(long[] t, double[] v) {
        BlockCodec.Block b = BlockCodec.decode(BlockCodec.encode(t, v, t.length));
        assertThat(b.times()).containsExactly(t);
        for (int i = 0; i < v.length; i++) {
            assertThat(Double.doubleToRawLongBits(b.values()[i])).as("value %d: %s", i, v[i])
                    .isEqualTo(Double.doubleToRawLongBits(v[i]));
        }
    }

    @Test
    void aTemperatureAtTenHertzWithClockJitterTakesUnderThreeBytesASample() {
        Random r = new Random(1);
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        long now = 1_795_000_000_000_000L;
        double temperature = 21.41;
        for (int i = 0; i < n; i++) {
            now += 100_000 + r.nextInt(2_001) - 1_000; // 10 Hz, ±1 ms jitter
            temperature = Math.round((temperature + (r.nextInt(5) - 2) * 0.01) * 100) / 100.0;
            t[i] = now;
            v[i] = temperature;
        }
        byte[] block = BlockCodec.encode(t, v, n);

        roundTrip(t, v);
        assertThat((double) block.length / n).as("bytes per sample").isLessThan(3.0);
        assertThat(block[0]).as("decimal encoding").isEqualTo((byte) 1);
    }

    @Test
    void aSteadyCounterCostsTwoBytesASample() {
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_000_000L + i * 10L;
            v[i] = i;
        }
        assertThat(BlockCodec.encode(t, v, n).length).isLessThanOrEqualTo(2 * n + 16);
        roundTrip(t, v);
    }

    @Test
    void valuesThatAreNoShortDecimalsAreXoredAndStillExact() {
        Random r = new Random(2);
        int n = 1000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 1_000L;
            v[i] = i % 10 == 0 ? Math.PI : r.nextGaussian() * 1e9;
        }
        v[5] = Double.NaN;
        v[6] = Double.POSITIVE_INFINITY;
        v[7] = -0.0;
        v[8] = v[7];
        assertThat(BlockCodec.encode(t, v, n)[0]).isEqualTo((byte) 2);
        roundTrip(t, v);
    }

    @Test
    void timesMayGoBackwardsAndJumpFar() {
        roundTrip(new long[] { 5_000_000_000_000L, 4_999_999_999_000L, Long.MAX_VALUE / 4, 0, -7 },
                new double[] { 1.5, -2.25, 1e-9, 123456.789, 0 });
        roundTrip(new long[0], new double[0]);
        roundTrip(new long[] { 42 }, new double[] { 0.1 });
    }

    @Test
    void aLargeDecimalStaysExactWhenALaterValueRaisesTheScaleToNineDigits() {
        // 4233796.696 is exact at 3 decimals, but at 9 its scaled long is past 2^52 and comes back one ulp off
        roundTrip(new long[] { 1, 2 }, new double[] { 4233796.696, 5e-9 });
        roundTrip(new long[] { 1, 2, 3 }, new double[] { 0.5, 4205518.95929806, 4e-9 });
        assertThat(BlockCodec.decimalScale(new double[] { 4233796.696, 5e-9 }, 2)).as("XOR instead").isEqualTo(-1);
        assertThat(BlockCodec.decimalScale(new double[] { 4233796.5, 5e-9 }, 2)).as("still exact at 9").isEqualTo(9);
    }

    @Test
    void decimalScalesUpToNineDigits() {
        assertThat(BlockCodec.decimalScale(new double[] { 1, 2, 3 }, 3)).isZero();
        assertThat(BlockCodec.decimalScale(new double[] { 21.4125, 0.5 }, 2)).isEqualTo(4);
        assertThat(BlockCodec.decimalScale(new double[] { 1.23456789 }, 1)).isEqualTo(8);
        assertThat(BlockCodec.decimalScale(new double[] { 0.1 + 0.2 }, 1)).isEqualTo(-1);
        assertThat(BlockCodec.decimalScale(new double[] { 18291.0, 5.00001 }, 2)).isEqualTo(5);
    }

    @Test
    void damagedBlocksAreRefusedWithAReasonAndNothingElseEscapes() {
        Random r = new Random(3);
        long[] t = { 1, 2, 3, 4 };
        double[] v = { 1.5, 2.5, 3.5, 4.5 };
        byte[] good = BlockCodec.encode(t, v, 4);
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] bad = i % 2 == 0 ? new byte[r.nextInt(40)] : java.util.Arrays.copyOf(good, r.nextInt(good.length + 1));
            if (i % 2 == 0) {
                r.nextBytes(bad);
            } else if (bad.length > 0) {
                bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                BlockCodec.decode(bad);
            } catch (IllegalArgumentException e) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }
}
