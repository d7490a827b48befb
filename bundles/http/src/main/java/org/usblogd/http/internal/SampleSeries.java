package org.usblogd.http.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.Tier;

/**
 * One channel's samples over a range in at most {@code maxPoints} points: every raw sample when the range holds
 * no more, else buckets (min, max, mean, count) as wide as it takes, from the hour or minute summaries, so that
 * a year costs about what an hour does. Only whole summaries inside the range are used: the parts of the range
 * they do not cover (its edges, and the end they are not built for yet) come from the next finer tier, down to
 * the raw samples, so every bucket counts exactly the samples of the range that fall in it. A series per unit
 * the channel was recorded in, as columns: what plotting libraries take, and a third of the bytes of an object
 * per point.
 */
final class SampleSeries {

    /** What is asked: the range is [from, to). */
    record Request(String device, String channel, Instant from, Instant to, int maxPoints) {
    }

    /**
     * The samples recorded in one unit, as columns of equal length: raw samples have {@code timeMicros} and
     * {@code value}; buckets have {@code timeMicros} (the bucket's start), {@code min}, {@code max}, {@code mean}
     * and {@code count}. Times are microseconds since the epoch, as the store keeps them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Series(String unit, long[] timeMicros, double[] value, double[] min, double[] max, double[] mean,
            long[] count) {
        int size() {
            return timeMicros.length;
        }
    }

    /**
     * @param tier raw, minute or hour: the coarsest tier the points come from
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
        Raw raw = new Raw(r.maxPoints());
        try {
            store.samples(query(r, from, to), raw::add);
            return answer(r, "raw", null, raw.series());
        } catch (Enough e) {
            // more than asked for: buckets
        }
        Geometry g = Geometry.of(from, to, r.maxPoints());
        Buckets buckets = new Buckets(g.origin(), g.width());
        fill(store, r, from, to, g.tier(), buckets);
        return answer(r, g.tier().name().toLowerCase(java.util.Locale.ROOT), g.width() / 1_000_000L,
                buckets.series());
    }

    /**
     * Puts the samples of [lo, hi) into the buckets: the whole summaries of {@code tier} inside it, and what
     * they leave uncovered at either end from the next finer tier.
     */
    private static void fill(SampleStore store, Request r, long lo, long hi, Tier tier, Buckets buckets)
            throws StoreException {
        if (lo >= hi) {
            return;
        }
        if (tier == Tier.RAW) {
            store.samples(query(r, lo, hi), s -> buckets.add(s.unit(), s.timeMicros(), s.value(), s.value(),
                    s.value(), 1));
            return;
        }
        long first = -Math.floorDiv(-lo, tier.micros()) * tier.micros();
        long last = tier.bucket(hi);
        if (first >= last) {
            fill(store, r, lo, hi, finer(tier), buckets);
            return;
        }
        fill(store, r, lo, first, finer(tier), buckets);
        long[] covered = { first };
        store.summaries(query(r, first, last), tier, s -> {
            buckets.add(s.unit(), s.timeMicros(), s.min(), s.max(), s.mean(), s.count());
            covered[0] = Math.max(covered[0], s.timeMicros() + tier.micros());
        });
        fill(store, r, covered[0], hi, finer(tier), buckets);
    }

    private static Tier finer(Tier tier) {
        return tier == Tier.HOUR ? Tier.MINUTE : Tier.RAW;
    }

    private static SampleQuery query(Request r, long from, long to) {
        return new SampleQuery(r.device(), r.channel(), Micros.toInstant(from), Micros.toInstant(to));
    }

    private static Answer answer(Request r, String tier, Long bucketSeconds, List<Series> series) {
        return new Answer(r.device(), r.channel(), r.from().toString(), r.to().toString(), tier, bucketSeconds,
                series);
    }

    /**
     * Where the buckets of a range lie: {@code width} wide from {@code origin}, the start of the minute or hour
     * {@code from} falls in, so that whole summaries fall in whole buckets; and no more than {@code maxPoints}
     * of them reach into the range.
     */
    record Geometry(Tier tier, long origin, long width) {
        static Geometry of(long from, long to, int maxPoints) {
            // counted from the minute's (the hour's) start, the span holds the partial bucket in front of from too
            long minutes = SampleSeries.width(to - Tier.MINUTE.bucket(from), maxPoints);
            if (minutes < Tier.HOUR.micros()) {
                return new Geometry(Tier.MINUTE, Tier.MINUTE.bucket(from), minutes);
            }
            return new Geometry(Tier.HOUR, Tier.HOUR.bucket(from),
                    SampleSeries.width(to - Tier.HOUR.bucket(from), maxPoints));
        }

        /** How many buckets [from, to) reaches into. */
        long buckets(long from, long to) {
            return Math.floorDiv(to - 1 - origin, width) - Math.floorDiv(from - origin, width) + 1;
        }
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

    /** Raw samples per unit in columns, up to {@code most} in all ({@link Enough} past that). */
    static final class Raw {
        private final int most;
        private final Map<String, Column> byUnit = new LinkedHashMap<>();
        private Column last;
        private int size;

        Raw(int most) {
            this.most = most;
        }

        void add(StoredSample s) {
            if (size == most) {
                throw new Enough();
            }
            size++;
            // a channel changes its unit rarely: the last column is nearly always the one
            if (last == null || !java.util.Objects.equals(last.unit, s.unit())) {
                last = byUnit.computeIfAbsent(s.unit(), Column::new);
            }
            last.add(s.timeMicros(), s.value());
        }

        List<Series> series() {
            List<Series> result = new ArrayList<>();
            byUnit.forEach((unit, c) -> result.add(new Series(unit, Arrays.copyOf(c.times, c.n),
                    Arrays.copyOf(c.values, c.n), null, null, null, null)));
            return result;
        }

        /** Doubles when full, without a boxed number per sample. */
        private static final class Column {
            final String unit;
            long[] times = new long[1024];
            double[] values = new double[1024];
            int n;

            Column(String unit) {
                this.unit = unit;
            }

            void add(long t, double v) {
                if (n == times.length) {
                    times = Arrays.copyOf(times, 2 * n);
                    values = Arrays.copyOf(values, times.length);
                }
                times[n] = t;
                values[n++] = v;
            }
        }
    }

    /** Summaries and samples merged into buckets of one width, per unit, in time order. */
    static final class Buckets {
        private final long origin;
        private final long width;
        private final Map<String, TreeMap<Long, double[]>> byUnit = new LinkedHashMap<>();

        Buckets(long origin, long width) {
            this.origin = origin;
            this.width = width;
        }

        void add(String unit, long t, double min, double max, double mean, long count) {
            long start = origin + Math.floorDiv(t - origin, width) * width;
            TreeMap<Long, double[]> buckets = byUnit.computeIfAbsent(unit, u -> new TreeMap<>());
            double[] b = buckets.get(start);
            if (b == null) {
                buckets.put(start, new double[] { min, max, mean * count, count });
                return;
            }
            b[0] = Math.min(b[0], min);
            b[1] = Math.max(b[1], max);
            b[2] += mean * count;
            b[3] += count;
        }

        List<Series> series() {
            List<Series> result = new ArrayList<>();
            byUnit.forEach((unit, buckets) -> {
                int n = buckets.size();
                long[] time = new long[n];
                double[] min = new double[n];
                double[] max = new double[n];
                double[] mean = new double[n];
                long[] count = new long[n];
                int i = 0;
                for (Map.Entry<Long, double[]> e : buckets.entrySet()) {
                    double[] b = e.getValue();
                    time[i] = e.getKey();
                    min[i] = b[0];
                    max[i] = b[1];
                    // the sum's rounding may put the mean a hair outside [min, max] (7 × 5.01 / 7 = 5.009999999999999)
                    mean[i] = Math.min(b[1], Math.max(b[0], b[2] / b[3]));
                    count[i++] = (long) b[3];
                }
                result.add(new Series(unit, time, null, min, max, mean, count));
            });
            return result;
        }
    }
}
