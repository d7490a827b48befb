package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.SqlSampleStore;

/** Samples handed over in chunks, through channels' sinks and in batches, on a real H2 file. */
class BatchHandOffTest extends OnStoreFile {
    private static final Channel VOLTS = new Channel("voltage", "V", "voltage");

    @Test
    void aBatchOfTenThousandSamplesIsStoredWholeAndTheCallersArraysAreNotKept() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 60_000, 60_000); // no timed commit: stop writes
        writer.start();
        ChannelSink volts = attach(writer, "1209:0011:A").channel(VOLTS);
        long[] t = new long[10_010];
        double[] v = new double[10_010];
        for (int i = 0; i < 10_000; i++) {
            t[5 + i] = T0 + i * 100L;
            v[5 + i] = i / 100.0;
        }

        volts.accept(t, v, 5, 10_000);
        Arrays.fill(t, T0 - 1); // the caller refills its arrays at once
        Arrays.fill(v, -1);
        assertThat(writer.stop(20_000)).isTrue();

        assertThat(writer.accepted()).isEqualTo(10_000);
        assertThat(writer.written()).isEqualTo(10_000);
        assertThat(writer.dropped()).isZero();
        List<StoredSample> all = stored();
        assertThat(all).hasSize(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(all.get(i).timeMicros()).isEqualTo(T0 + i * 100L);
            assertThat(all.get(i).value()).isEqualTo(i / 100.0);
        }
    }

    @Test
    void batchesAndSingleSamplesOfOneChannelInterleaveInTheirOrderAcrossChunks() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 800, 4_096, 50, 1_000); // chunks of 100 samples
        writer.start();
        RecorderSink sink = attach(writer, "1209:0011:A");
        ChannelSink volts = sink.channel(VOLTS);
        List<Double> expected = new ArrayList<>();
        long[] t = new long[37];
        double[] v = new double[37];
        int n = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < t.length; i++, n++) {
                t[i] = T0 + n;
                v[i] = n;
                expected.add((double) n);
            }
            volts.accept(t, v, 0, t.length);
            volts.accept(T0 + n, n);
            expected.add((double) n++);
            sink.accept(VOLTS.name(), T0 + n, n);
            expected.add((double) n++);
        }
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> all = stored();
        assertThat(all).extracting(StoredSample::value).containsExactlyElementsOf(expected);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsWholeOldestChunksCountedPerDeviceWithTheirSpan() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 800, 4_096, 50, 1_000); // chunks of 100; not started: nothing drains
        ChannelSink a = attach(writer, "1209:0011:A").channel(VOLTS);
        ChannelSink b = attach(writer, "1209:0011:B").channel(VOLTS);
        a.accept(times(0, 800), values(0, 800), 0, 800); // eight chunks: the queue is full
        b.accept(times(0, 250), values(0, 250), 0, 250); // two chunks and a part

        assertThat(writer.droppedByDevice()).as("A's two oldest chunks made room for B's two")
                .containsExactly(Map.entry("1209:0011:A", 200L));
        assertThat(writer.queued()).isEqualTo(800);
        assertThat(writer.accepted()).isEqualTo(1_050);
        writer.start();
        assertThat(writer.stop(20_000)).isTrue();

        List<StoredSample> all = stored();
        assertThat(all.stream().filter(s -> s.device().endsWith(":A"))).extracting(StoredSample::value)
                .as("from the third chunk on").hasSize(600).first().isEqualTo(200.0);
        assertThat(all.stream().filter(s -> s.device().endsWith(":B"))).as("B whole, its partly filled chunk too")
                .hasSize(250);
        assertThat(eventMessages("samples.dropped")).singleElement().asString().startsWith(
                "200 sample(s) dropped, the oldest first, because the store's queue was full; they were taken from"
                        + " 2026-11-25T10:00:00Z to 2026-11-25T10:00:00.000199Z");
    }

    @Test
    void aSingleSampleOnceASecondIsCommittedWithinTheVisibilityInterval() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 100, 1_000);
        writer.start();
        ChannelSink volts = attach(writer, "1209:0011:A").channel(VOLTS);
        SqlSampleStore store = new SqlSampleStore(ds);
        for (int second = 0; second < 3; second++) {
            long given = System.nanoTime();
            volts.accept(T0 + second * 1_000_000L, second);
            while (store.samples(SampleQuery.all(), s -> { }) < second + 1
                    && System.nanoTime() - given < 5_000_000_000L) {
                Thread.sleep(5);
            }
            long tookMs = (System.nanoTime() - given) / 1_000_000;
            assertThat(store.samples(SampleQuery.all(), s -> { })).as("second %d", second).isEqualTo(second + 1);
            assertThat(tookMs).as("ms until visible; the interval is 100, a commit takes some").isLessThan(600);
            Thread.sleep(1_000 - Math.min(1_000, tookMs));
        }
        assertThat(writer.stop(20_000)).isTrue();
    }

    @Test
    void aDeviceThatLeftLetsGoOfItsChunksAndWhatItsSessionStillGivesIsStored() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 100, 1_000);
        writer.start();
        SqlSampleStore store = new SqlSampleStore(ds);
        for (int device = 0; device < 50; device++) { // replugged into a new port each time: a new key each time
            String key = "1209:0011@1-" + device;
            ChannelSink volts = attach(writer, key).channel(VOLTS);
            long[] t = new long[100];
            double[] v = new double[100];
            for (int i = 0; i < 100; i++) {
                t[i] = T0 + device * 1_000_000L + i;
                v[i] = i;
            }
            volts.accept(t, v, 0, 99);
            writer.detached(key, T0 + device * 1_000_000L + 99);
            volts.accept(t[99], v[99]); // from a driver slow to stop
        }
        assertThat(writer.feeds()).as("feeds of devices that left").isZero();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.samples(SampleQuery.all(), s -> { }) < 5_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(writer.stop(20_000)).isTrue();
        assertThat(writer.accepted()).isEqualTo(5_000);
        assertThat(writer.written()).isEqualTo(5_000);
        assertThat(stored()).hasSize(5_000);
        assertThat(writer.feeds()).isZero();
    }

    @Test
    void samplesGivenAfterTheDeviceLeftGoInChunksOfTheirOwnSizeNotOfABusyDevices() {
        ChunkQueue queue = new ChunkQueue(1_000_000);
        DeviceFeed feed = new DeviceFeed("1209:0011@1-1", 4_096, queue, () -> false);
        ChannelRef volts = new ChannelRef("1209:0011@1-1", VOLTS);
        feed.append(volts, new long[4_096], new double[4_096], 0, 4_096); // busy: its chunks grew to the most
        feed.retire(new java.util.concurrent.atomic.AtomicLong());
        long before = queue.heldBytes();
        for (int i = 0; i < 1_000; i++) {
            feed.append(volts, T0 + i, i);
        }
        assertThat(queue.size()).isEqualTo(5_096);
        assertThat(queue.heldBytes() - before).as("heap of 1000 samples handed over one by one")
                .isLessThanOrEqualTo(1_000L * (Chunk.OVERHEAD_BYTES + Chunk.FIRST_CAPACITY * 24L));
    }

    @Test
    void aDeviceThatComesBackGoesOnInTheBlockItWasFillingAndTheCountOfAcceptedSamplesNeverGoesDown()
            throws Exception {
        StoreWriter writer = new StoreWriter(ds, 1_000_000, 4_096, 100, 1_000);
        writer.start();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> wentDown = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> { // as the metrics endpoint reads it
            long last = 0;
            while (!done.get()) {
                long now = writer.accepted();
                if (now < last) {
                    wentDown.add(last + " -> " + now);
                }
                last = now;
            }
        });
        reader.start();
        String key = "1209:0011@1-1";
        long[] t = new long[1_000];
        double[] v = new double[1_000];
        for (int replug = 0; replug < 200; replug++) {
            ChannelSink volts = attach(writer, key).channel(VOLTS);
            for (int i = 0; i < 1_000; i++) {
                t[i] = T0 + replug * 1_000L + i;
            }
            volts.accept(t, v, 0, 1_000);
            writer.detached(key, t[999]);
        }
        done.set(true);
        reader.join();
        assertThat(writer.stop(20_000)).isTrue();
        assertThat(wentDown).as("accepted() going down").isEmpty();
        assertThat(writer.accepted()).isEqualTo(200_000);
        assertThat(stored()).hasSize(200_000);
        try (var c = ds.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM sample_block")) {
            rs.next();
            assertThat(rs.getInt(1)).as("blocks of 4096 for 200,000 samples of one channel").isEqualTo(49);
        }
    }

    @Test
    void samplesGivenWhileTheStoreClosesAreRefusedAndCounted() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 50, 1_000);
        writer.start();
        RecorderSink sink = attach(writer, "1209:0011:A");
        ChannelSink volts = sink.channel(VOLTS);
        volts.accept(times(0, 10), values(0, 10), 0, 10);
        assertThat(writer.stop(20_000)).isTrue();

        volts.accept(times(10, 20), values(10, 20), 0, 10);
        volts.accept(T0 + 30, 30);

        assertThat(stored()).hasSize(10);
        assertThat(writer.accepted()).isEqualTo(21);
        assertThat(writer.droppedByDevice()).containsExactly(Map.entry("1209:0011:A", 11L));
    }

    @Test
    void aChannelsSinkFollowsTheChannelDeclaredAgainInAnotherUnit() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 4_096, 50, 1_000);
        writer.start();
        RecorderSink sink = attach(writer, "1209:0011:A");
        ChannelSink volts = sink.channel(VOLTS);
        volts.accept(T0, 1.5);
        sink.declare(new Channel("voltage", "mV", "voltage"));
        volts.accept(T0 + 1, 1_500);
        assertThat(writer.stop(20_000)).isTrue();

        assertThat(stored()).extracting(s -> s.value() + " " + s.unit()).containsExactly("1.5 V", "1500.0 mV");
    }

    private static long[] times(int from, int to) {
        long[] t = new long[to - from];
        for (int i = 0; i < t.length; i++) {
            t[i] = T0 + from + i;
        }
        return t;
    }

    private static double[] values(int from, int to) {
        double[] v = new double[to - from];
        for (int i = 0; i < v.length; i++) {
            v[i] = from + i;
        }
        return v;
    }

    @Test
    void aWriterOfferedMoreThanItCanTakeStillCommitsEveryIntervalAndDropsTheRest() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 200_000, 4_096, 100, 1_000);
        writer.start();
        List<Thread> floods = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (String key : List.of("1209:0011:A", "1209:0011:B")) {
            ChannelSink volts = attach(writer, key).channel(VOLTS);
            Thread flood = new Thread(() -> {
                long[] t = new long[1_000];
                double[] v = new double[1_000];
                long n = 0;
                while (!stop.get()) {
                    for (int i = 0; i < t.length; i++, n++) {
                        t[i] = T0 + n;
                        v[i] = n % 1_000 / 10.0;
                    }
                    volts.accept(t, v, 0, t.length);
                }
            }, "flood-" + key);
            flood.start();
            floods.add(flood);
        }
        try {
            Thread.sleep(1_500);
            long early = writer.written();
            Thread.sleep(1_500);
            long late = writer.written();
            assertThat(early).as("committed within the first 1.5 s of the flood").isPositive();
            assertThat(late).as("and still committing after it").isGreaterThan(early);
            assertThat(writer.dropped()).as("what it could not take is dropped, not queued without end").isPositive();
        } finally {
            stop.set(true);
            for (Thread flood : floods) {
                flood.join();
            }
            writer.stop(20_000);
        }
    }
}
