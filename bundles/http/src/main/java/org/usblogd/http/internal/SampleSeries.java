package org.usblogd.http.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.Tier;

/**
 * One channel's samples over a range in at most {@code maxPoints} points: every raw sample when the range holds
 * no more, else buckets (min, max, mean, count) as wide as it takes, from the minute or hour summaries, so that
 * a year costs about what an hour does. The end the summaries do not cover yet (the last minutes or hour) is
 * bucketed from the raw samples the same way. A series per unit the channel was recorded in.
 */
final class SampleSeries {

    /** What is asked: the range is [from, to). */
    record Request(String device, String channel, Instant from, Instant to, int maxPoints) {
    }

    /** A raw sample. */
    record Point(String time, double value) {
    }

    /** A bucket starting at {@code time}. */
    record Bucket(String time, double min, double max, double mean, long count) {
    }

    /** The samples recorded in one unit. */
    record Series(String unit, List<Object> points) {
    }

    /**
     * @param tier raw, minute or hour: where the points come from
     * @param bucketSeconds the buckets' width, null for raw samples
     */
    record Answer(String device, String channel, String from, String to, String tier, Long bucketSeconds,
            List<Series> series) {
    }

    /** Wider buckets than this many minutes come from the hour summaries, a sixtieth as many rows to read. */
    static final int MOST_MINUTES = 10;

    private SampleSeries() {
    }

    static Answer read(SampleStore store, Request r) throws StoreException {
        long from = Micros.of(r.from());
        long to = Micros.of(r.to());
        List<StoredSample> raw = new ArrayList<>();
        try {
            store.samples(new SampleQuery(r.device(), r.channel(), r.from(), r.to()), s -> {
                if (raw.size() == r.maxPoints()) {
                    throw new Enough();
                }
                raw.add(s);
            });
            Map<String, List<Object>> byUnit = new LinkedHashMap<>();
            for (StoredSample s : raw) {
                byUnit.computeIfAbsent(s.unit(), u -> new ArrayList<>())
                        .add(new Point(Micros.toInstant(s.timeMicros()).toString(), s.value()));
            }
            return answer(r, "raw", null, byUnit);
        } catch (Enough e) {
            // more than asked for: buckets
        }
        long width = width(to - from, r.maxPoints());
        Tier tier = width < Tier.HOUR.micros() ? Tier.MINUTE : Tier.HOUR;
        Buckets buckets = new Buckets(width);
        long[] covered = { from };
        store.summaries(new SampleQuery(r.device(), r.channel(), r.from(), r.to()), tier, s -> {
            buckets.add(s.unit(), s.timeMicros(), s.min(), s.max(), s.mean(), s.count());
            covered[0] = Math.max(covered[0], s.timeMicros() + tier.micros());
        });
        if (covered[0] < to) {
            store.samples(new SampleQuery(r.device(), r.channel(), Micros.toInstant(covered[0]), r.to()),
                    s -> buckets.add(s.unit(), s.timeMicros(), s.value(), s.value(), s.value(), 1));
        }
        return answer(r, tier.name().toLowerCase(java.util.Locale.ROOT), width / 1_000_000L, buckets.points());
    }

    /**
     * The narrowest bucket that puts the span in at most {@code maxPoints} buckets: up to {@link #MOST_MINUTES}
     * minutes (from the minute summaries), else a whole number of hours (from the hour summaries), so that a
     * range never costs more than about {@code maxPoints} times that many summaries to read.
     */
    static long width(long spanMicros, int maxPoints) {
        long minute = Tier.MINUTE.micros();
        long hour = Tier.HOUR.micros();
        long minutes = Math.max(1, ceilDiv(ceilDiv(spanMicros, minute), maxPoints));
        if (minutes <= MOST_MINUTES) {
            return minutes * minute;
        }
        return hour * Math.max(1, ceilDiv(ceilDiv(spanMicros, hour), maxPoints));
    }

    /** Math.ceilDiv came with Java 18. */
    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static Answer answer(Request r, String tier, Long bucketSeconds, Map<String, List<Object>> byUnit) {
        List<Series> series = new ArrayList<>();
        byUnit.forEach((unit, points) -> series.add(new Series(unit, points)));
        return new Answer(r.device(), r.channel(), r.from().toString(), r.to().toString(), tier, bucketSeconds, series);
    }

    /** Summaries and samples merged into buckets of one width, per unit, in time order. */
    static final class Buckets {
        private final long width;
        private final Map<String, Map<Long, double[]>> byUnit = new LinkedHashMap<>();

        Buckets(long width) {
            this.width = width;
        }

        void add(String unit, long t, double min, double max, double mean, long count) {
            long start = Math.floorDiv(t, width) * width;
            double[] b = byUnit.computeIfAbsent(unit, u -> new java.util.TreeMap<>()).get(start);
            if (b == null) {
                byUnit.get(unit).put(start, new double[] { min, max, mean * count, count });
                return;
            }
            b[0] = Math.min(b[0], min);
            b[1] = Math.max(b[1], max);
            b[2] += mean * count;
            b[3] += count;
        }

        Map<String, List<Object>> points() {
            Map<String, List<Object>> result = new LinkedHashMap<>();
            byUnit.forEach((unit, buckets) -> {
                List<Object> points = new ArrayList<>();
                // the sum's rounding may put the mean a hair outside [min, max] (7 × 5.01 / 7 = 5.009999999999999)
                buckets.forEach((start, b) -> points.add(new Bucket(Micros.toInstant(start).toString(), b[0], b[1],
                        Math.min(b[1], Math.max(b[0], b[2] / b[3])), (long) b[3])));
                result.put(unit, points);
            });
            return result;
        }
    }
}
