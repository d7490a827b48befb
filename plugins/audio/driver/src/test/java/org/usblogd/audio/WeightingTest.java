package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WeightingTest {

    /**
     * IEC 61672-1:2013, Table 3 "Frequency weightings and acceptance limits": nominal frequency (Hz), the A
     * and C weightings (dB, design goals to 0.1 dB, computed by the standard at the exact base-ten
     * frequencies 1000·10^(n/10) Hz), and the class 1 acceptance limits on the deviation from them (dB,
     * upper and lower; -Infinity where the table has none).
     */
    static final double[][] IEC_61672_1_TABLE_3 = {
            { 10, -70.4, -14.3, 3.0, Double.NEGATIVE_INFINITY },
            { 12.5, -63.4, -11.2, 2.5, Double.NEGATIVE_INFINITY },
            { 16, -56.7, -8.5, 2.0, -4.0 },
            { 20, -50.5, -6.2, 2.0, -2.0 },
            { 25, -44.7, -4.4, 2.0, -1.5 },
            { 31.5, -39.4, -3.0, 1.5, -1.5 },
            { 40, -34.6, -2.0, 1.0, -1.0 },
            { 50, -30.2, -1.3, 1.0, -1.0 },
            { 63, -26.2, -0.8, 1.0, -1.0 },
            { 80, -22.5, -0.5, 1.0, -1.0 },
            { 100, -19.1, -0.3, 1.0, -1.0 },
            { 125, -16.1, -0.2, 1.0, -1.0 },
            { 160, -13.4, -0.1, 1.0, -1.0 },
            { 200, -10.9, 0.0, 1.0, -1.0 },
            { 250, -8.6, 0.0, 1.0, -1.0 },
            { 315, -6.6, 0.0, 1.0, -1.0 },
            { 400, -4.8, 0.0, 1.0, -1.0 },
            { 500, -3.2, 0.0, 1.0, -1.0 },
            { 630, -1.9, 0.0, 1.0, -1.0 },
            { 800, -0.8, 0.0, 1.0, -1.0 },
            { 1000, 0.0, 0.0, 0.7, -0.7 },
            { 1250, 0.6, 0.0, 1.0, -1.0 },
            { 1600, 1.0, -0.1, 1.0, -1.0 },
            { 2000, 1.2, -0.2, 1.0, -1.0 },
            { 2500, 1.3, -0.3, 1.0, -1.0 },
            { 3150, 1.2, -0.5, 1.0, -1.0 },
            { 4000, 1.0, -0.8, 1.0, -1.0 },
            { 5000, 0.5, -1.3, 1.5, -1.5 },
            { 6300, -0.1, -2.0, 1.5, -2.0 },
            { 8000, -1.1, -3.0, 1.5, -2.5 },
            { 10000, -2.5, -4.4, 2.0, -3.0 },
            { 12500, -4.3, -6.2, 2.0, -5.0 },
            { 16000, -6.6, -8.5, 2.5, -16.0 },
            { 20000, -9.3, -11.2, 3.0, Double.NEGATIVE_INFINITY },
    };

    /** The exact frequency of row i: the table starts at 10 Hz, band -20 of the base-ten series. */
    static double exact(int row) {
        return 1000 * Math.pow(10, (row - 20) / 10.0);
    }

    /** The rows whose frequency fails class 1 at this rate, up to and including {@code upTo} Hz. */
    static List<String> classOneFailures(Weighting w, double rate, double upTo) {
        WeightingFilter f = w.filter(rate);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < IEC_61672_1_TABLE_3.length; i++) {
            double[] row = IEC_61672_1_TABLE_3[i];
            if (row[0] > upTo) {
                break;
            }
            double goal = w == Weighting.A ? row[1] : w == Weighting.C ? row[2] : 0;
            double deviation = f.responseDb(exact(i)) - goal;
            if (deviation > row[3] || deviation < row[4]) {
                failures.add(String.format("%s at %.0f Hz, %.0f Hz: %+.2f dB (limits %+.1f/%+.1f)", w, row[0], rate,
                        deviation, row[3], row[4]));
            }
        }
        return failures;
    }

    @Test
    void aWeightingMatchesIec61672ClassOneAt48kHzUpTo20kHz() {
        assertThat(classOneFailures(Weighting.A, 48000, 20000)).isEmpty();
    }

    @Test
    void cWeightingMatchesIec61672ClassOneAt48kHzUpTo20kHz() {
        assertThat(classOneFailures(Weighting.C, 48000, 20000)).isEmpty();
    }

    @Test
    void aWeightingMatchesIec61672ClassOneAt44100HzUpTo20kHz() {
        assertThat(classOneFailures(Weighting.A, 44100, 20000)).isEmpty();
    }

    @Test
    void cWeightingMatchesIec61672ClassOneAt44100HzUpTo20kHz() {
        assertThat(classOneFailures(Weighting.C, 44100, 20000)).isEmpty();
    }

    @Test
    void zWeightingIsFlatAtEveryRate() {
        for (double rate : new double[] { 8000, 16000, 44100, 48000, 96000 }) {
            assertThat(classOneFailures(Weighting.Z, rate, rate / 2)).isEmpty();
            assertThat(Weighting.Z.filter(rate).process(0.25)).isEqualTo(0.25);
        }
    }

    @Test
    void at96kHzBothWeightingsHoldClassOneUpTo20kHz() {
        assertThat(classOneFailures(Weighting.A, 96000, 20000)).isEmpty();
        assertThat(classOneFailures(Weighting.C, 96000, 20000)).isEmpty();
    }

    @Test
    void at32kHzClassOneHoldsUpTo8kHzAndTheReadingOnlyFallsAbove() {
        assertThat(classOneFailures(Weighting.A, 32000, 8000)).isEmpty();
        assertThat(classOneFailures(Weighting.C, 32000, 8000)).isEmpty();
        assertThat(classOneFailures(Weighting.A, 32000, 10000)).as("warping near 16 kHz Nyquist").isNotEmpty();
        for (double f = 8000; f < 16000; f += 500) {
            assertThat(Weighting.A.filter(32000).responseDb(f)).isLessThan(Weighting.A.goalDb(f));
        }
    }

    @Test
    void at16kHzClassOneHoldsUpTo4kHz() {
        assertThat(classOneFailures(Weighting.A, 16000, 4000)).isEmpty();
        assertThat(classOneFailures(Weighting.C, 16000, 4000)).isEmpty();
        assertThat(classOneFailures(Weighting.C, 16000, 5000)).as("warping near 8 kHz Nyquist").isNotEmpty();
    }

    @Test
    void at8kHzClassOneHoldsUpTo2500Hz() {
        assertThat(classOneFailures(Weighting.A, 8000, 2500)).isEmpty();
        assertThat(classOneFailures(Weighting.C, 8000, 2500)).isEmpty();
    }

    @Test
    void everyWeightingReadsZeroDecibelsAtOneKilohertzAtEveryRate() {
        for (double rate : new double[] { 8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000 }) {
            for (Weighting w : Weighting.values()) {
                assertThat(w.filter(rate).responseDb(1000)).as(w + " at " + rate).isCloseTo(0, within(1e-9));
            }
        }
    }

    @Test
    void theAnalogDesignGoalReproducesTheTableToItsRounding() {
        for (int i = 0; i < IEC_61672_1_TABLE_3.length; i++) {
            double[] row = IEC_61672_1_TABLE_3[i];
            assertThat(Weighting.A.goalDb(exact(i))).as("A at " + row[0]).isCloseTo(row[1], within(0.05 + 1e-9));
            assertThat(Weighting.C.goalDb(exact(i))).as("C at " + row[0]).isCloseTo(row[2], within(0.05 + 1e-9));
        }
    }

    @Test
    void sineTonesThroughTheFilterReadWhatItsTransferFunctionSays() {
        double rate = 48000;
        for (Weighting w : List.of(Weighting.A, Weighting.C)) {
            for (double f : new double[] { 31.5, 100, 1000, 4000, 10000 }) {
                WeightingFilter filter = w.filter(rate);
                double settle = 2 * rate; // the 20.6 Hz poles ring for a while
                double sum = 0;
                int n = (int) rate; // a whole number of periods for each of these frequencies
                for (int i = 0; i < settle + n; i++) {
                    double y = filter.process(Math.sin(2 * Math.PI * f * i / rate));
                    if (i >= settle) {
                        sum += y * y;
                    }
                }
                double measured = 10 * Math.log10(2 * sum / n);
                assertThat(measured).as(w + " at " + f + " Hz").isCloseTo(filter.responseDb(f), within(0.01));
            }
        }
    }

    @Test
    void inSilenceTheFilterStateGoesToZeroAndNeverThroughSubnormalNumbers() {
        WeightingFilter a = Weighting.A.filter(48000);
        for (int i = 0; i < 48000; i++) {
            a.process(Math.sin(2 * Math.PI * 31.5 * i / 48000));
        }
        long subnormal = 0;
        for (int i = 0; i < 60 * 48000; i++) {
            double y = a.process(0);
            if (y != 0 && Math.abs(y) < Double.MIN_NORMAL) {
                subnormal++;
            }
            if ((i & 255) == 255) {
                a.flushTiny();
            }
        }

        assertThat(subnormal).isZero();
        assertThat(a.process(0)).isZero();
    }

    @Test
    void filtersStayStableAndFiniteOverTenSecondsOfFullScaleNoise() {
        java.util.Random random = new java.util.Random(18);
        for (double rate : new double[] { 8000, 96000 }) {
            WeightingFilter a = Weighting.A.filter(rate);
            WeightingFilter c = Weighting.C.filter(rate);
            double peak = 0;
            for (int i = 0; i < 10 * rate; i++) {
                double x = random.nextDouble() * 2 - 1;
                peak = Math.max(peak, Math.abs(a.process(x)) + Math.abs(c.process(x)));
            }
            assertThat(peak).isFinite().isLessThan(20);
        }
    }
}
