package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.DeviceListing;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreFigures;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * What {@code usblogd export} selects with several devices or channels, and what {@code usblogd status} reads
 * of the store (samples in a window, samples dropped since the daemon started, the outage file), written by the
 * store's own writer into a real H2 file.
 */
class StatusAndSelectionQueriesTest extends OnStoreFile {
    private static final long S = 1_000_000L;
    private static final String A = "1209:0001@1-1";
    private static final String B = "1209:0002@1-2";
    private static final String C = "1209:0003@1-3";

    @Test
    void theDeviceListingCountsSamplesFromAnIndexWithoutReadingTheBlocksData() throws Exception {
        threeDevices();
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("EXPLAIN " + DeviceListing.BLOCK_FIGURES)) {
            rs.next();
            assertThat(rs.getString(1)).containsIgnoringCase("SAMPLE_BLOCK_FIGURES");
        }
        assertThat(new DeviceListing(ds).devices()).extracting(DeviceListing.Device::samples)
                .containsExactly(60L, 60L, 60L);
    }

    @Test
    void samplesOfManyChannelsComeInTimeOrderAndSamplesOfTheSameMomentByDeviceThenChannel() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10_000, 4, 50, 200);
        writer.start();
        for (String key : List.of(C, A, B)) {
            RecorderSink sink = attach(writer, key);
            sink.declare(new Channel("temperature", "°C", "temperature"));
            sink.declare(new Channel("co2", "ppm", "co2"));
            // the same moments for every device, and co2 now and then at the temperature's moment: ties
            // between devices and between channels, in blocks of 4 that end and begin at different samples
            java.util.Random random = new java.util.Random(3);
            long t = T0;
            for (int i = 0; i < 40; i++) {
                t += (1 + random.nextInt(2)) * S;
                sink.accept("temperature", t, i);
                sink.accept("co2", t + (random.nextBoolean() ? 0 : S / 2), 400 + i);
            }
        }
        assertThat(writer.stop(20_000)).isTrue();
        List<StoredSample> read = new ArrayList<>();
        new SqlSampleStore(ds).samples(List.of(), List.of(), null, null, read::add);
        assertThat(read).hasSize(240);
        assertThat(read).isSortedAccordingTo(java.util.Comparator.comparingLong(StoredSample::timeMicros)
                .thenComparing(StoredSample::device).thenComparing(StoredSample::channel));
        for (String key : List.of(A, B, C)) {
            assertThat(read.stream().filter(x -> x.device().equals(key) && x.channel().equals("co2"))
                    .map(StoredSample::value)).as("each channel's samples in the order they came")
                    .isSortedAccordingTo(Double::compare).hasSize(40);
        }
        // as runs of one channel's samples (the export's way), the same samples in the same order, also between
        // two times that fall inside blocks
        Instant from = SqlSampleStore.instant(read.get(37).timeMicros());
        Instant to = SqlSampleStore.instant(read.get(201).timeMicros());
        List<StoredSample> runs = new ArrayList<>();
        new SqlSampleStore(ds).samples(List.of(), List.of(), from, to, (device, channel, unit, t, v, first, end) -> {
            for (int i = first; i < end; i++) {
                runs.add(new StoredSample(t[i], device, channel, v[i], unit));
            }
        });
        assertThat(runs).containsExactlyElementsOf(read.stream()
                .filter(x -> x.timeMicros() >= read.get(37).timeMicros() && x.timeMicros() < read.get(201).timeMicros())
                .toList());
    }

    /** Three devices with co2 and temperature, a sample a second each for 30 s, in blocks of 4 samples. */
    private void threeDevices() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10_000, 4, 50, 200);
        writer.start();
        for (String key : List.of(A, B, C)) {
            RecorderSink sink = attach(writer, key);
            sink.declare(new Channel("co2", "ppm", "co2"));
            sink.declare(new Channel("temperature", "°C", "temperature"));
            for (int i = 0; i < 30; i++) {
                sink.accept("co2", T0 + i * S, 400 + i);
                sink.accept("temperature", T0 + i * S + 1, 20 + i / 10.0);
            }
        }
        assertThat(writer.stop(20_000)).isTrue();
    }

    @Test
    void samplesOfTwoDevicesAndTwoChannelsComeInTimeOrderAndAnEmptyListSelectsAll() throws Exception {
        threeDevices();
        SqlSampleStore store = new SqlSampleStore(ds);
        List<StoredSample> two = new ArrayList<>();
        store.samples(List.of(A, C), List.of("co2"), null, null, two::add);
        assertThat(two).hasSize(60).extracting(StoredSample::device).containsOnly(A, C);
        assertThat(two).extracting(StoredSample::timeMicros).isSorted();
        assertThat(two).extracting(StoredSample::channel).containsOnly("co2");

        List<StoredSample> both = new ArrayList<>();
        store.samples(List.of(B), List.of("co2", "temperature"), Instant.parse("2026-11-25T10:00:10Z"),
                Instant.parse("2026-11-25T10:00:12Z"), both::add);
        assertThat(both).extracting(s -> s.channel() + "=" + s.value()).containsExactly("co2=410.0",
                "temperature=21.0", "co2=411.0", "temperature=21.1");

        assertThat(store.samples(List.of(), List.of(), null, null, s -> { })).isEqualTo(180);
        assertThat(store.summaries(List.of(A, B), List.of("co2", "temperature"), null, null, Tier.MINUTE,
                (StoredSummary s) -> { })).as("no summaries computed here").isZero();
    }

    @Test
    void channelNamesListEveryDeviceEvenOneWithoutChannels() throws Exception {
        threeDevices();
        StoreWriter writer = new StoreWriter(ds, 10_000, 4, 50, 200);
        writer.start();
        attach(writer, "1209:0004@1-4");
        assertThat(writer.stop(20_000)).isTrue();
        Map<String, List<String>> names = new DeviceListing(ds).channelNames();
        assertThat(names).containsOnlyKeys(A, B, C, "1209:0004@1-4");
        assertThat(names.get(A)).containsExactly("co2", "temperature");
        assertThat(names.get("1209:0004@1-4")).isEmpty();
    }

    @Test
    void samplesBetweenTwoTimesAreCountedExactlyWhereBlocksStraddleTheEnds() throws Exception {
        threeDevices();
        StoreFigures figures = new StoreFigures(ds);
        // blocks of 4 samples: 10:00:05 and 10:00:15 fall inside blocks, which are decoded and counted in part
        assertThat(figures.samplesBetween(T0 + 5 * S, T0 + 15 * S)).isEqualTo(3 * 2 * 10);
        assertThat(figures.samplesBetween(T0, T0 + 30 * S)).isEqualTo(180);
        assertThat(figures.samplesBetween(T0 + 30 * S, T0 + 90 * S)).isZero();
    }

    @Test
    void droppedSamplesAreCountedSinceTheLatestDaemonStarted() throws Exception {
        dropFifteen(); // before any daemon.started: not this daemon's
        StoreWriter started = new StoreWriter(ds, 10_000, 16, 50, 200);
        started.start();
        started.event(null, "daemon.started", "store opened");
        assertThat(started.stop(20_000)).isTrue();
        assertThat(new StoreFigures(ds).droppedSinceStart()).isZero();
        dropFifteen();
        dropFifteen();
        assertThat(new StoreFigures(ds).droppedSinceStart()).isEqualTo(30);
    }

    /** The queue of 10 offered 25 samples before the writer runs: 15 are dropped and said in an event. */
    private void dropFifteen() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10, 16, 50, 1_000);
        RecorderSink a = attach(writer, A);
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 25; i++) {
            a.accept("co2", T0 + i, i);
        }
        writer.start();
        assertThat(writer.stop(20_000)).isTrue();
        assertThat(writer.dropped()).isEqualTo(15);
    }

    @Test
    void theOutageFileIsThereExactlyWhileTheStoreCannotWriteAndOneLeftByAKilledDaemonGoesAtStart()
            throws Exception {
        Path file = new StoreLocation(state).outageFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "2026-11-25T09:00:00Z\nleft by a daemon that was killed\n");
        FaultyDataSource faulty = new FaultyDataSource(ds);
        StoreWriter writer = new StoreWriter(faulty, StoreWriter.Settings.of(10_000, 16, 50, 200).withRetryMs(50),
                StoreClock.SYSTEM);
        writer.databaseDirectory(file.getParent());
        assertThat(file).as("removed as the store opens").doesNotExist();
        RecorderSink a = attach(writer, A);
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        writer.start();
        try {
            faulty.down(true);
            a.accept("co2", T0, 400);
            await(() -> Files.exists(file), "the outage file");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            assertThat(Instant.parse(lines.get(0))).isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(lines.get(1)).contains("injected: the database is down");

            faulty.down(false);
            await(() -> !Files.exists(file), "the outage file removed");
        } finally {
            faulty.down(false);
            assertThat(writer.stop(20_000)).isTrue();
        }
        assertThat(new SqlSampleStore(ds).samples(List.of(A), List.of(), null, null, s -> { })).isEqualTo(1);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 20 s for %s", what).isNegative();
            Thread.sleep(20);
        }
    }
}
