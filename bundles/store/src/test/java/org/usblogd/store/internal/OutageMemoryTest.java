package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.SqlSampleStore;

/**
 * What an outage costs in memory: the writer holds what it could not write in sealed, encoded blocks, within
 * the bound the README documents, and drops the oldest (counted, said) only beyond its budget.
 */
class OutageMemoryTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
    private static final int CHANNELS = 10;
    /** 10 channels at 100 Hz: 1,000 samples a second. */
    private static final long PERIOD_MICROS = 10_000;

    @TempDir
    Path state;

    @Test
    void fiveMinutesOfOutageAtAThousandSamplesASecondStayWithinTheDocumentedBoundAndAllAreWrittenAfter()
            throws Exception {
        JdbcDataSource ds = database();
        FaultyDataSource faulty = new FaultyDataSource(ds).down(true);
        StoreWriter writer = new StoreWriter(faulty, StoreWriter.Settings.of(100_000, 4_096, 50, 200).withRetryMs(50),
                StoreClock.SYSTEM);
        RecorderSink sink = device(writer, "1209:0001:OUT");
        writer.start();
        long before = heapAfterGc();

        int samples = feed(writer, sink, 5 * 60 * 100, new Random(7)); // five minutes of device time
        awaitHeld(writer, samples);
        long held = writer.heldBytes();
        long heap = heapAfterGc() - before;

        System.out.printf("outage of %d samples: writer holds %d bytes (%.2f B/sample), heap grew %d bytes%n", samples,
                held, held / (double) samples, heap);
        // README: about 2-3 bytes a sample for sensor values, plus a filling block per channel
        long documented = samples * 4L + CHANNELS * (4_096 * 16L + 2 * Block.OVERHEAD_BYTES);
        assertThat(held).as("bytes the writer says it holds for %d samples", samples).isLessThanOrEqualTo(documented);
        assertThat(heap).as("heap grown for %d samples (held %d)", samples, held)
                .isLessThanOrEqualTo(documented + 4_000_000);
        assertThat(writer.dropped()).isZero();

        faulty.down(false);
        assertThat(writer.stop(30_000)).isTrue();
        assertThat(writer.written()).isEqualTo(samples);
        assertThat(new SqlSampleStore(ds).samples(org.usblogd.api.store.SampleQuery.all(), s -> { })).isEqualTo(samples);
    }

    @Test
    void beyondItsMemoryBudgetTheOldestAreDroppedCountedAndSaid() throws Exception {
        JdbcDataSource ds = database();
        FaultyDataSource faulty = new FaultyDataSource(ds).down(true);
        long budget = 256 * 1024;
        StoreWriter writer = new StoreWriter(faulty, StoreWriter.Settings.of(100_000, 1_024, 50, 200).withRetryMs(50)
                .withMemoryBytes(budget), StoreClock.SYSTEM);
        RecorderSink sink = device(writer, "1209:0001:BUD");
        writer.start();

        int samples = feed(writer, sink, 10 * 60 * 100, new Random(8)); // ten minutes of device time
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (writer.dropped() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        assertThat(writer.heldBytes()).as("held within the budget")
                .isLessThanOrEqualTo(budget + CHANNELS * (1_024 * 16L + 2 * Block.OVERHEAD_BYTES));

        faulty.down(false);
        assertThat(writer.stop(30_000)).isTrue();
        long dropped = writer.dropped();
        assertThat(dropped).isPositive();
        assertThat(writer.written() + dropped).as("written and dropped").isEqualTo(samples);
        List<StoredSampleTime> kept = new ArrayList<>();
        new SqlSampleStore(ds).samples(org.usblogd.api.store.SampleQuery.all(),
                s -> kept.add(new StoredSampleTime(s.timeMicros())));
        assertThat(kept).hasSize((int) writer.written());
        assertThat(kept.get(0).t()).as("the oldest went first").isGreaterThan(T0);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message FROM event WHERE kind = 'samples.dropped'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith(dropped + " sample(s) dropped, the oldest first, because the store"
                    + " could not write them and its memory for unwritten samples was full");
        }
    }

    private record StoredSampleTime(long t) {
    }

    /**
     * Device-timed samples of ten sensor-like channels (random walks in hundredths), 1,000 a second of device
     * time, handed over faster than that but never faster than the writer takes them from its queue (the
     * queue's own limit is another test's).
     */
    private static int feed(StoreWriter writer, RecorderSink sink, int reports, Random random)
            throws InterruptedException {
        long[] hundredths = new long[CHANNELS];
        int n = 0;
        for (int r = 0; r < reports; r++) {
            while (r % 1_000 == 0 && writer.queued() > 20_000) {
                Thread.sleep(5);
            }
            long t = T0 + r * PERIOD_MICROS;
            for (int c = 0; c < CHANNELS; c++) {
                hundredths[c] += Math.round(random.nextGaussian() * 2);
                sink.accept("c" + c, t, (2_000 + hundredths[c]) / 100.0); // as a decoder computes it
                n++;
            }
        }
        return n;
    }

    private static RecorderSink device(StoreWriter writer, String key) {
        writer.attached(key, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", key.substring(10), "1-1", 3,
                List.of()), "virtual", T0);
        RecorderSink sink = new RecorderSink(key, writer);
        for (int c = 0; c < CHANNELS; c++) {
            sink.declare(new Channel("c" + c, "°C", "temperature"));
        }
        return sink;
    }

    private static void awaitHeld(StoreWriter writer, int samples) throws InterruptedException {
        // the queue is empty once the writer has moved every sample into its blocks
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            long held = writer.heldBytes();
            if (held == last) {
                return;
            }
            last = held;
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private JdbcDataSource database() throws Exception {
        return TestDatabase.in(state);
    }
}
