package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.SqlSampleStore;

/** A channel whose unit changes keeps the unit each sample was recorded in, on a real H2 file. */
class UnitHistoryTest extends OnStoreFile {
    private static final long MINUTE = 60_000_000L;
    private static final String KEY = "1209:0001:U";

    @Test
    void aChangedUnitLabelsOnlyTheSamplesFromThenOnAndEachChangeIsAnEvent() throws Exception {
        // years in °F: ten minutes here, one sample every 10 s
        StoreWriter first = new StoreWriter(ds, 10_000, 100, 50, 200);
        first.start();
        RecorderSink sink = attach(first, KEY);
        sink.declare(new Channel("temperature", "°F", "temperature"));
        record(sink, 0, 60, 70);
        assertThat(first.stop(20_000)).isTrue();

        // the daemon restarted with the settings changed to °C
        StoreWriter second = new StoreWriter(ds, 10_000, 100, 50, 200);
        second.start();
        sink = attach(second, KEY);
        sink.declare(new Channel("temperature", "°C", "temperature"));
        record(sink, 60, 60, 21);
        // and changed back while it runs: the session restarts and declares its channels again
        sink.declare(new Channel("temperature", "°F", "temperature"));
        record(sink, 120, 30, 71);
        sink.declare(new Channel("temperature", "°F", "temperature")); // declared as it is: nothing changes
        assertThat(second.stop(20_000)).isTrue();

        // one more start in °F, the unit declared last: no change to record
        StoreWriter third = new StoreWriter(ds, 10_000, 100, 50, 200);
        third.start();
        attach(third, KEY).declare(new Channel("temperature", "°F", "temperature"));
        assertThat(third.stop(20_000)).isTrue();

        SqlSampleStore store = new SqlSampleStore(ds);
        List<StoredSample> all = new ArrayList<>();
        store.samples(new SampleQuery(KEY, "temperature", null, null), all::add);
        assertThat(all).hasSize(150).extracting(StoredSample::timeMicros).isSorted();
        assertThat(all.subList(0, 60)).allSatisfy(s -> assertThat(s.unit()).isEqualTo("°F"));
        assertThat(all.subList(60, 120)).allSatisfy(s -> assertThat(s.unit()).isEqualTo("°C"));
        assertThat(all.subList(120, 150)).allSatisfy(s -> assertThat(s.unit()).isEqualTo("°F"));
        assertThat(all.get(59).value()).isEqualTo(70.0);
        assertThat(all.get(60).value()).isEqualTo(21.0);
        assertThat(eventMessages("channel.unit")).containsExactly(
                "channel temperature: unit changed from °F to °C; the samples recorded before keep °F",
                "channel temperature: unit changed from °C to °F; the samples recorded before keep °C");
        assertThat(store.devices()).singleElement().satisfies(d -> assertThat(d.samples()).isEqualTo(150));

        // the summaries keep them apart too: no minute mixes °F and °C
        new Maintenance(ds, new RetentionPolicy(0, 0, 0, 0, List.of()), () -> T0 + 60 * MINUTE,
                (kind, message) -> { }, new CompactionWindows()).runUntilIdle(10_000);
        List<StoredSummary> minutes = new ArrayList<>();
        store.summaries(new SampleQuery(KEY, "temperature", null, null), Tier.MINUTE, minutes::add);
        assertThat(minutes).extracting(m -> m.unit() + " " + m.min() + ".." + m.max() + " x" + m.count())
                .containsExactly("°F 70.0..70.0 x6", "°F 70.0..70.0 x6", "°F 70.0..70.0 x6", "°F 70.0..70.0 x6",
                        "°F 70.0..70.0 x6", "°F 70.0..70.0 x6", "°F 70.0..70.0 x6", "°F 70.0..70.0 x6",
                        "°F 70.0..70.0 x6", "°F 70.0..70.0 x6", "°C 21.0..21.0 x6", "°C 21.0..21.0 x6",
                        "°C 21.0..21.0 x6", "°C 21.0..21.0 x6", "°C 21.0..21.0 x6", "°C 21.0..21.0 x6",
                        "°C 21.0..21.0 x6", "°C 21.0..21.0 x6", "°C 21.0..21.0 x6", "°C 21.0..21.0 x6",
                        "°F 71.0..71.0 x6", "°F 71.0..71.0 x6", "°F 71.0..71.0 x6", "°F 71.0..71.0 x6",
                        "°F 71.0..71.0 x6");
    }

    /** {@code n} samples of {@code value}, one every 10 s from sample number {@code from}. */
    private static void record(RecorderSink sink, int from, int n, double value) {
        for (int i = from; i < from + n; i++) {
            sink.accept("temperature", T0 + i * 10_000_000L, value);
        }
    }
}
