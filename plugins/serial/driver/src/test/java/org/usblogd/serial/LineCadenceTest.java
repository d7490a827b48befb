package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LineCadenceTest {
    private static final long T = 1_780_000_000_000_000L;

    @Test
    void aLineAloneInItsTransferIsStampedAtItsArrival() {
        LineCadence c = new LineCadence();

        assertThat(c.stamp(T, 1)).containsExactly(T);
        assertThat(c.stamp(T + 1_000_000, 1)).containsExactly(T + 1_000_000);
        assertThat(c.stamp(T + 1_000_000, 0)).isEmpty();
    }

    @Test
    void linesOfOneTransferAreSpreadBackByTheLearnedPeriodOldestFirst() {
        LineCadence c = new LineCadence();
        for (int i = 0; i <= 5; i++) {
            c.stamp(T + i * 1_000_000L, 1); // a sketch printing once a second
        }
        assertThat(c.period()).isEqualTo(1_000_000);

        long late = T + 8_000_000; // the host read nothing for three seconds
        assertThat(c.stamp(late, 3)).containsExactly(late - 2_000_000, late - 1_000_000, late);
        assertThat(c.period()).as("three gaps of a second each").isEqualTo(1_000_000);
    }

    @Test
    void thePeriodIsTheMedianSoThatPausesAndSplitLinesMoveItLittle() {
        LineCadence c = new LineCadence();
        long t = T;
        for (int i = 0; i < 10; i++) {
            c.stamp(t += 100_000, 1);
        }
        c.stamp(t += 60_000_000, 1); // the device paused for a minute
        c.stamp(t += 10, 1); // two lines a moment apart
        c.stamp(t += 99_990, 1);

        assertThat(c.period()).isEqualTo(100_000);
        for (int i = 0; i < 16; i++) {
            c.stamp(t += 2_000_000, 1); // it slowed down for good
        }
        assertThat(c.period()).isEqualTo(2_000_000);
    }

    @Test
    void stampsNeverGoBeforeThePreviousOneButShareWhatTimeThereIs() {
        LineCadence c = new LineCadence();
        for (int i = 0; i <= 5; i++) {
            c.stamp(T + i * 1_000_000L, 1);
        }
        long[] crowded = c.stamp(T + 5_000_000 + 300_000, 4); // four lines in 0.3 s at a period of a second

        assertThat(crowded).containsExactly(T + 5_075_000, T + 5_150_000, T + 5_225_000, T + 5_300_000);
    }

    @Test
    void beforeAnyGapTheLinesOfATransferAreKeptApartByTheLeastThatOrdersThem() {
        assertThat(new LineCadence().stamp(T, 3)).containsExactly(T - 2, T - 1, T);
    }

    @Test
    void whateverTheArrivalsStampsStrictlyIncreaseAndStayAtOrBeforeArrivalWhenThereIsRoom() {
        LineCadence c = new LineCadence();
        Random random = new Random(6);
        long arrival = T;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < 100_000; i++) {
            arrival += random.nextInt(5) == 0 ? random.nextInt(3) : random.nextInt(2_000_000);
            int count = random.nextInt(5);
            long before = last;
            long[] times = c.stamp(arrival, count);
            for (long t : times) {
                assertThat(t).isGreaterThan(last);
                last = t;
            }
            if (count > 0 && arrival - before >= count) {
                assertThat(times[count - 1]).isLessThanOrEqualTo(arrival);
            }
        }
    }
}
