package org.usblogd.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How wide the buckets of a long range are, and how summaries merge into them. */
class SampleSeriesTest {
    private static final long MINUTE = 60_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    @Test
    void bucketsAreTheNarrowestWholeMinutesOrHoursThatFitMaxPoints() {
        assertThat(SampleSeries.width(HOUR, 2_000)).as("an hour in minutes").isEqualTo(MINUTE);
        assertThat(SampleSeries.width(DAY, 2_000)).as("1440 minutes fit").isEqualTo(MINUTE);
        assertThat(SampleSeries.width(7 * DAY, 2_000)).as("a week: 10080 minutes, 6 a bucket").isEqualTo(6 * MINUTE);
        assertThat(SampleSeries.width(30 * DAY, 2_000)).as("a month: 720 hours fit").isEqualTo(HOUR);
        assertThat(SampleSeries.width(365 * DAY, 2_000)).as("a year: 8760 hours, 5 a bucket").isEqualTo(5 * HOUR);
        for (long span : new long[] { MINUTE, HOUR, DAY, 90 * DAY, 3650 * DAY }) {
            for (int max : new int[] { 1, 10, 500, 2_000, 100_000 }) {
                long w = SampleSeries.width(span, max);
                assertThat(span / w).as("%d µs in at most %d buckets", span, max).isLessThanOrEqualTo(max);
            }
        }
    }

    @Test
    void aBucketsMeanNeverLiesOutsideItsMinAndMaxWhateverTheRoundingOfItsSum() {
        SampleSeries.Buckets b = new SampleSeries.Buckets(0, MINUTE);
        for (int i = 0; i < 7; i++) {
            b.add("V", i, 5.01, 5.01, 5.01, 1); // 7 × 5.01 sums to 35.07 / 7 = 5.009999999999999
        }
        SampleSeries.Series bucket = b.series().get(0);
        assertThat(bucket.mean()[0]).isBetween(bucket.min()[0], bucket.max()[0]);
    }

    @Test
    void summariesMergeIntoWiderBucketsWithTheirMinMaxAndCountWeightedMean() {
        SampleSeries.Buckets b = new SampleSeries.Buckets(HOUR, 5 * HOUR);
        b.add("°C", HOUR, 10, 20, 15, 100);
        b.add("°C", 2 * HOUR, 5, 12, 10, 300);
        b.add("°C", 6 * HOUR, 1, 2, 1.5, 10);
        b.add("°F", 2 * HOUR, 50, 60, 55, 1);

        List<SampleSeries.Series> series = b.series();
        assertThat(series).as("a series per unit").extracting(SampleSeries.Series::unit).containsExactly("°C", "°F");
        SampleSeries.Series celsius = series.get(0);
        assertThat(celsius.timeMicros()).as("buckets start at the origin, 5 h apart").containsExactly(HOUR, 6 * HOUR);
        assertThat(celsius.min()).containsExactly(5, 1);
        assertThat(celsius.max()).containsExactly(20, 2);
        assertThat(celsius.mean()).containsExactly(11.25, 1.5);
        assertThat(celsius.count()).containsExactly(400, 10);
        assertThat(celsius.value()).as("buckets have no value column").isNull();
    }

    @Test
    void aRangeWithUnevenEdgesReachesIntoNoMoreBucketsThanMaxPoints() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long from = 1_764_000_000_000_000L + (long) (random.nextDouble() * 400 * DAY);
            long to = from + 1 + (long) (Math.pow(random.nextDouble(), 3) * 800 * DAY);
            int maxPoints = 1 + random.nextInt(random.nextBoolean() ? 10 : 3_000);
            SampleSeries.Geometry g = SampleSeries.Geometry.of(from, to, maxPoints);
            assertThat(g.buckets(from, to)).as("[%d, %d) in at most %d buckets of %d µs from %d", from, to,
                    maxPoints, g.width(), g.origin()).isBetween(1L, (long) maxPoints);
            assertThat(g.origin()).as("the first bucket holds from").isLessThanOrEqualTo(from)
                    .isGreaterThan(from - g.width());
            assertThat(g.origin() % g.tier().micros()).as("whole summaries fall in whole buckets").isZero();
            assertThat(g.width() % g.tier().micros()).isZero();
        }
    }

    @Test
    void rawSamplesAreColumnsPerUnitAndStopOneBeyondTheMost() {
        SampleSeries.Raw raw = new SampleSeries.Raw(1_000);
        for (int i = 0; i < 1_000; i++) {
            raw.add(new org.usblogd.api.store.StoredSample(i, "d", "c", i / 10.0, i < 600 ? "°C" : "°F"));
        }
        assertThat(raw.series()).extracting(SampleSeries.Series::size).containsExactly(600, 400);
        assertThat(raw.series().get(1).timeMicros()[0]).isEqualTo(600);
        assertThat(raw.series().get(1).value()[399]).isEqualTo(99.9);
        assertThat(raw.series().get(0).mean()).as("raw samples have no bucket columns").isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> raw.add(new org.usblogd.api.store.StoredSample(1_000, "d", "c", 0, "°C")))
                .isInstanceOf(Enough.class);
    }
}
