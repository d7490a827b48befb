package org.usblogd.testing.counter.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The twin on its own clock (times are given, not read): what it keeps of the reports nobody read, what it
 * counts, and how silence, wedging and resets change what it sends.
 */
class CounterTwinTest {
    private static final long PERIOD = 10;
    private static final long T0 = 1_000;
    private static final int IN = CounterTwin.ENDPOINT;

    @Test
    void aPlainTwinKeepsOnlyItsNewestReportAndTheNumbersShowWhatWasLost() {
        CounterTwin twin = new CounterTwin("C", PERIOD);

        assertThat(sequence(twin.in(IN, T0))).as("the clock starts when the host first asks").isZero();
        assertThat(twin.in(IN, T0 + 5)).as("nothing new within the period").isNull();
        assertThat(twin.nextInNanos(IN, T0 + 5)).isEqualTo(T0 + PERIOD);
        // five reports made (1 to 5) while nobody read: only the newest is there
        assertThat(sequence(twin.in(IN, T0 + 55))).isEqualTo(5);
        assertThat(twin.in(IN, T0 + 55)).isNull();

        assertThat(twin.lost()).isEqualTo(4);
        assertThat(twin.delivered()).isEqualTo(2);
    }

    @Test
    void aTwinKeepingTheNewestThreeHandsThemOverInOrderAfterAPause() {
        CounterTwin twin = CounterTwin.keepingNewest("C", PERIOD, 3);
        twin.in(IN, T0);

        assertThat(readAll(twin, T0 + 55)).containsExactly(3L, 4L, 5L);

        assertThat(twin.lost()).isEqualTo(2);
        assertThat(twin.delivered()).isEqualTo(4);
        assertThat(twin.nextInNanos(IN, T0 + 55)).isEqualTo(T0 + 6 * PERIOD);
    }

    @Test
    void aTwinKeepingEveryReportLosesNoneHoweverLongNobodyReads() {
        CounterTwin twin = CounterTwin.keepingEveryReport("C", PERIOD);
        twin.in(IN, T0);

        assertThat(readAll(twin, T0 + 1_000 * PERIOD)).hasSize(1_000).first().isEqualTo(1L);

        assertThat(twin.lost()).isZero();
        assertThat(twin.delivered()).isEqualTo(1_001);
    }

    @Test
    void theSequenceGoesOnAcrossResetsAndEachResetIsCounted() {
        CounterTwin twin = new CounterTwin("C", PERIOD);
        twin.in(IN, T0);
        twin.reset();
        twin.reset();

        assertThat(sequence(twin.in(IN, T0 + 3 * PERIOD))).as("the clock ran on through the resets").isEqualTo(3);
        assertThat(twin.resets()).isEqualTo(2);
    }

    @Test
    void aSilencedTwinSaysNothingAndWhenItSpeaksAgainItsNumbersFollowOn() {
        CounterTwin twin = CounterTwin.keepingEveryReport("C", PERIOD);
        twin.in(IN, T0);

        twin.silence(true);
        assertThat(twin.in(IN, T0 + 50 * PERIOD)).isNull();
        assertThat(twin.nextInNanos(IN, T0 + 50 * PERIOD)).as("looked at again, for it may speak")
                .isEqualTo(T0 + 50 * PERIOD + 1_000_000_000L);

        twin.silence(false);
        assertThat(sequence(twin.in(IN, T0 + 60 * PERIOD))).as("a silent device made no reports").isEqualTo(1);
        assertThat(twin.in(IN, T0 + 60 * PERIOD)).isNull();
        assertThat(twin.lost()).isZero();
    }

    @Test
    void aWedgedTwinStopsAfterItsReportsAndAResetDoesNotBringItBack() {
        CounterTwin twin = new CounterTwin("C", PERIOD, 2);
        twin.in(IN, T0);
        twin.in(IN, T0 + PERIOD);

        assertThat(twin.in(IN, T0 + 2 * PERIOD)).isNull();
        twin.reset();
        assertThat(twin.in(IN, T0 + 3 * PERIOD)).isNull();
        assertThat(twin.nextInNanos(IN, T0 + 3 * PERIOD)).isEqualTo(Long.MAX_VALUE);
    }

    private static List<Long> readAll(CounterTwin twin, long now) {
        List<Long> read = new ArrayList<>();
        for (byte[] r = twin.in(IN, now); r != null; r = twin.in(IN, now)) {
            read.add(sequence(r));
        }
        return read;
    }

    private static long sequence(byte[] report) {
        assertThat(report).hasSize(8);
        return CounterTwin.sequence(report);
    }
}
