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
        SampleSeries.Buckets b = new SampleSeries.Buckets(MINUTE);
        for (int i = 0; i < 7; i++) {
            b.add("V", i, 5.01, 5.01, 5.01, 1); // 7 × 5.01 sums to 35.07 / 7 = 5.009999999999999
        }
        SampleSeries.Bucket bucket = (SampleSeries.Bucket) b.points().get("V").get(0);
        assertThat(bucket.mean()).isBetween(bucket.min(), bucket.max());
    }

    @Test
    void summariesMergeIntoWiderBucketsWithTheirMinMaxAndCountWeightedMean() {
        SampleSeries.Buckets b = new SampleSeries.Buckets(5 * HOUR);
        b.add("°C", 0, 10, 20, 15, 100);
        b.add("°C", HOUR, 5, 12, 10, 300);
        b.add("°C", 5 * HOUR, 1, 2, 1.5, 10);
        b.add("°F", HOUR, 50, 60, 55, 1);

        List<Object> celsius = b.points().get("°C");
        assertThat(celsius).containsExactly(new SampleSeries.Bucket("1970-01-01T00:00:00Z", 5, 20, 11.25, 400),
                new SampleSeries.Bucket("1970-01-01T05:00:00Z", 1, 2, 1.5, 10));
        assertThat(b.points()).as("a series per unit").containsOnlyKeys("°C", "°F");
    }
}
