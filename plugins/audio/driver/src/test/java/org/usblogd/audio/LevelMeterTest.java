package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

class LevelMeterTest {

    static final int RATE = 48000;
    static final List<Weighting> AZC = List.of(Weighting.A, Weighting.C, Weighting.Z);

    /** Runs {@code seconds} of a mono signal through a chain and returns its intervals. */
    static List<Interval> run(double seconds, double intervalSeconds, Calibration calibration,
            IntToDoubleFunction signal) {
        List<Interval> intervals = new ArrayList<>();
        LevelChain chain = new LevelChain(RATE, 1, 2, intervalSeconds, calibration, AZC, intervals::add);
        double[] block = new double[480];
        int n = (int) Math.round(seconds * RATE);
        for (int at = 0; at < n; at += block.length) {
            int frames = Math.min(block.length, n - at);
            for (int i = 0; i < frames; i++) {
                block[i] = signal.applyAsDouble(at + i);
            }
            chain.samples(block, frames);
        }
        return intervals;
    }

    static IntToDoubleFunction sine(double frequency, double amplitude) {
        return i -> amplitude * Math.sin(2 * Math.PI * frequency * i / RATE);
    }

    @Test
    void aOneKilohertzSineAtMinusTwentyDbfsReadsMinusTwentyUnderEveryWeighting() {
        List<Interval> intervals = run(3, 1, Calibration.NONE, sine(1000, 0.1));

        assertThat(intervals).hasSize(3);
        for (Interval interval : intervals.subList(1, 3)) {
            for (Weighting w : AZC) {
                Levels l = interval.of(w);
                assertThat(l.leq()).as(w + " Leq").isCloseTo(-20, within(0.1));
                assertThat(l.max().getAsDouble()).as(w + " Lmax").isCloseTo(-20, within(0.1));
                assertThat(l.min().getAsDouble()).as(w + " Lmin").isCloseTo(-20, within(0.1));
                assertThat(l.unit()).isEqualTo("dBFS");
                assertThat(l.frames()).isEqualTo(RATE);
            }
        }
    }

    @Test
    void aFullScaleSineReadsZeroDbfsAndAFullScaleSquareWavePlusThree() {
        double sine = run(2, 1, Calibration.NONE, sine(1000, 1.0)).get(1).of(Weighting.Z).leq();
        double square = run(2, 1, Calibration.NONE, i -> (i / 24) % 2 == 0 ? 1.0 : -1.0).get(1).of(Weighting.Z).leq();

        assertThat(sine).isCloseTo(0, within(0.01));
        assertThat(square).isCloseTo(10 * Math.log10(2), within(0.01));
    }

    @Test
    void aHundredHertzToneReadsNineteenPointOneDecibelsLowerUnderAWeighting() {
        Interval second = run(3, 1, Calibration.NONE, sine(100, 0.5)).get(2);
        double z = second.of(Weighting.Z).leq();
        double a = second.of(Weighting.A).leq();
        double c = second.of(Weighting.C).leq();

        assertThat(z).isCloseTo(20 * Math.log10(0.5), within(0.01));
        // IEC 61672-1:2013 Table 3 at 100 Hz: A -19.1 dB, C -0.3 dB, class 1 limits ±1.0 dB
        assertThat(a - z).isCloseTo(-19.1, within(1.0)).isCloseTo(-19.1, within(0.1));
        assertThat(c - z).isCloseTo(-0.3, within(0.1));
    }

    @Test
    void aToneSwitchedOnHalfWayThroughAnIntervalReadsThreeDecibelsUnderTheSteadyLevel() {
        double steady = run(2, 1, Calibration.NONE, sine(1000, 0.2)).get(1).of(Weighting.A).leq();
        IntToDoubleFunction tone = sine(1000, 0.2);
        Interval half = run(2, 1, Calibration.NONE, i -> i < 1.5 * RATE ? 0 : tone.applyAsDouble(i)).get(1);

        for (Weighting w : AZC) {
            assertThat(half.of(w).leq()).as(w.name()).isCloseTo(steady - 10 * Math.log10(2), within(0.1));
            // Fast has had 0.5 s, four time constants, to rise: 10·lg(1 - e^-4) = -0.08 dB
            assertThat(half.of(w).max().getAsDouble()).isCloseTo(steady - 0.08, within(0.05));
            assertThat(half.of(w).min().getAsDouble()).isEqualTo(LevelMeter.FLOOR_DBFS);
        }
    }

    @Test
    void afterAToneStopsTheFastLevelFallsThirtyFourPointSevenDecibelsASecond() {
        IntToDoubleFunction tone = sine(1000, 0.5);
        Interval after = run(2, 1, Calibration.NONE, i -> i < RATE ? tone.applyAsDouble(i) : 0).get(1);

        double steady = 20 * Math.log10(0.5);
        // IEC 61672-1:2013 5.8.3: the design goal for F is 10·lg(e)/0.125 s = 34.7 dB/s
        assertThat(after.of(Weighting.Z).max().getAsDouble()).isCloseTo(steady, within(0.05));
        assertThat(after.of(Weighting.Z).min().getAsDouble()).isCloseTo(steady - 34.74, within(0.1));
    }

    @Test
    void silenceReadsTheDocumentedFloorNeverMinusInfinity() {
        Interval silent = run(2, 1, Calibration.NONE, i -> 0).get(1);
        Interval calibrated = run(2, 1, Calibration.of(120), i -> 0).get(1);

        for (Weighting w : AZC) {
            assertThat(silent.of(w).leq()).isEqualTo(-150);
            assertThat(silent.of(w).max().getAsDouble()).isEqualTo(-150);
            assertThat(silent.of(w).min().getAsDouble()).isEqualTo(-150);
            assertThat(calibrated.of(w).leq()).isEqualTo(-30);
        }
    }

    @Test
    void theFastLevelsAreAbsentUntilTheDetectorHasSettled() {
        List<Interval> fast = run(1, 0.125, Calibration.NONE, sine(1000, 0.1));

        assertThat(fast).hasSize(8);
        assertThat(fast.subList(0, 4)).allSatisfy(i -> assertThat(i.of(Weighting.A).max()).isEmpty());
        assertThat(fast.subList(5, 8)).allSatisfy(i -> {
            assertThat(i.of(Weighting.A).max().getAsDouble()).isCloseTo(-20, within(0.1));
            assertThat(i.of(Weighting.A).leq()).isCloseTo(-20, within(0.1));
            assertThat(i.of(Weighting.A).frames()).isEqualTo(6000);
        });
    }

    @Test
    void aCalibrationOffsetTurnsDbfsIntoDecibelsSoundPressureLevel() {
        // a microphone whose 94 dB SPL calibrator tone reads -26 dBFS: 0 dBFS is 120 dB SPL
        Levels l = run(2, 1, Calibration.of(120), sine(1000, Math.pow(10, -26 / 20.0))).get(1).of(Weighting.A);

        assertThat(l.leq()).isCloseTo(94, within(0.1));
        assertThat(l.max().getAsDouble()).isCloseTo(94, within(0.1));
        assertThat(l.unit()).isEqualTo("dB");
    }

    @Test
    void nanAndInfinityInTheInputNeverMakeALevelNaN() {
        IntToDoubleFunction tone = sine(1000, 0.1);
        double[] poison = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300 };
        List<Interval> intervals = run(3, 1, Calibration.NONE,
                i -> i % 1000 == 0 ? poison[(i / 1000) % poison.length] : tone.applyAsDouble(i));

        for (Interval interval : intervals) {
            for (Levels l : interval.levels()) {
                assertThat(l.leq()).isFinite();
                l.max().ifPresent(v -> assertThat(v).isFinite());
                l.min().ifPresent(v -> assertThat(v).isFinite());
                assertThat(l.invalid()).isEqualTo(48);
            }
        }
        assertThat(intervals.get(2).of(Weighting.A).leq()).isCloseTo(-20, within(0.1));
    }

    @Test
    void theMeterItselfCountsWhatIsNoPowerAsSilence() {
        LevelMeter m = new LevelMeter(Weighting.Z, RATE, Calibration.NONE);
        m.add(Double.NaN);
        m.add(Double.POSITIVE_INFINITY);
        m.add(-1);
        m.add(Double.MAX_VALUE);

        Levels l = m.close();
        assertThat(l.leq()).isFinite();
        assertThat(l.invalid()).isEqualTo(3);
        assertThat(LevelMeter.decibels(Double.NaN)).isEqualTo(-150);
        assertThat(LevelMeter.decibels(0)).isEqualTo(-150);
    }

    @Test
    void afterARestartTheFastLevelsSettleAgain() {
        List<Interval> intervals = new ArrayList<>();
        LevelChain chain = new LevelChain(RATE, 1, 2, LevelChain.FAST_INTERVAL_SECONDS, Calibration.NONE, AZC,
                intervals::add);
        double[] second = new double[RATE];
        for (int i = 0; i < RATE; i++) {
            second[i] = 0.1 * Math.sin(2 * Math.PI * 1000 * i / RATE);
        }
        chain.samples(second, RATE);
        chain.restart();
        chain.samples(second, RATE);

        assertThat(intervals).hasSize(16);
        assertThat(intervals.get(7).of(Weighting.C).max()).isPresent();
        assertThat(intervals.get(8).of(Weighting.C).max()).isEmpty();
        assertThat(intervals.get(15).of(Weighting.C).max().getAsDouble()).isCloseTo(-20, within(0.1));
    }

    @Test
    void anEmptyIntervalReadsTheFloor() {
        Levels l = new LevelMeter(Weighting.A, RATE, Calibration.NONE).close();

        assertThat(l.leq()).isEqualTo(-150);
        assertThat(l.frames()).isZero();
        assertThat(l.max()).isEmpty();
    }

    @Test
    void aStereoDeviceSendingTheSameSignalTwiceReadsAsItsMonoTwinAndOneSilentChannelThreeDecibelsLess() {
        List<Interval> both = new ArrayList<>();
        List<Interval> left = new ArrayList<>();
        LevelChain twice = new LevelChain(RATE, 2, 2, 1, Calibration.NONE, AZC, both::add);
        LevelChain once = new LevelChain(RATE, 2, 2, 1, Calibration.NONE, AZC, left::add);
        double[] frames = new double[2 * RATE];
        for (int i = 0; i < RATE; i++) {
            double x = 0.1 * Math.sin(2 * Math.PI * 1000 * i / RATE);
            frames[2 * i] = x;
            frames[2 * i + 1] = x;
        }
        twice.samples(frames, RATE);
        twice.samples(frames, RATE);
        for (int i = 0; i < RATE; i++) {
            frames[2 * i + 1] = 0;
        }
        once.samples(frames, RATE);
        once.samples(frames, RATE);

        assertThat(both.get(1).of(Weighting.A).leq()).isCloseTo(-20, within(0.1));
        assertThat(left.get(1).of(Weighting.A).leq()).isCloseTo(-20 - 10 * Math.log10(2), within(0.1));
    }

    @Test
    void packetsOfSixteenBitPcmReadTheirLevelAndLossesAreCountedPerInterval() {
        List<Interval> intervals = new ArrayList<>();
        LevelChain chain = new LevelChain(RATE, 1, 2, 1, Calibration.NONE, AZC, intervals::add);
        byte[] packet = new byte[48 * 2 + 1]; // one stray byte: a packet cut inside a frame
        int n = 0;
        for (int ms = 0; ms < 2000; ms++) {
            for (int i = 0; i < 48; i++, n++) {
                short s = (short) Math.round(3276.8 * Math.sin(2 * Math.PI * 1000 * n / RATE));
                packet[2 * i] = (byte) s;
                packet[2 * i + 1] = (byte) (s >> 8);
            }
            chain.packet(packet, 0, ms % 100 == 0 ? packet.length : packet.length - 1);
            if (ms % 500 == 0) {
                chain.missing(2);
                chain.packet(packet, 0, 0);
            }
        }

        assertThat(intervals).hasSize(2);
        Interval second = intervals.get(1);
        assertThat(second.of(Weighting.Z).leq()).isCloseTo(-20, within(0.1));
        assertThat(second.droppedPackets()).isEqualTo(6);
        assertThat(second.cutBytes()).isEqualTo(10);
    }
}
