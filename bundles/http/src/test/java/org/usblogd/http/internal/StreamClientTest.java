package org.usblogd.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/** A stream never holds the store's writer up: what a slow reader cannot take is dropped for it and counted. */
class StreamClientTest {
    private static final StoredSample CO2 = new StoredSample(1, "04d9:a052@1-1", "co2", 600, "ppm");
    private static final StoredSample TEMP = new StoredSample(1, "413d:2107@1-2", "temperature", 21, "°C");
    private static final StoredEvent STALE = new StoredEvent(7, 1, "413d:2107@1-2", "device.stale", "silent");

    @Test
    void aClientThatDoesNotReadHasCommitsDroppedAndCountedWithoutTheWriterEverWaiting() throws Exception {
        StreamClient c = new StreamClient(null, null);
        long started = System.nanoTime();
        for (int i = 0; i < StreamClient.CAPACITY + 100; i++) {
            c.offer(List.of(CO2, TEMP), List.of(STALE));
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms the writer spent").isLessThan(1_000);
        assertThat(c.takeDropped()).containsExactly(200, 100);
        assertThat(c.takeDropped()).as("told once").containsExactly(0, 0);
        assertThat(c.next(0)).isNotNull();
    }

    @Test
    void aClientThatDoesNotReadHoldsNoMoreThanItsShareOfSamplesHoweverBigTheCommits() throws Exception {
        StreamClient c = new StreamClient(null, null);
        List<StoredSample> catchUp = java.util.Collections.nCopies(10_000, CO2); // a backlog written at once
        for (int i = 0; i < 20; i++) {
            c.offer(catchUp, List.of());
        }
        long held = 0;
        for (StreamClient.Batch b = c.next(0); b != null; b = c.next(0)) {
            held += b.samples().size();
        }
        assertThat(held).isLessThanOrEqualTo(StreamClient.MOST_SAMPLES).isPositive();
        assertThat(c.takeDropped()[0]).isEqualTo(200_000 - held);
        c.offer(catchUp, List.of());
        assertThat(c.next(0)).as("read, it has room again").isNotNull();
    }

    @Test
    void closingWakesAReaderWaitingForTheNextCommit() throws Exception {
        StreamClient c = new StreamClient(null, null);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.close();
        });
        closer.start();
        long started = System.nanoTime();
        assertThat(c.next(10_000)).isNull();
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms waited").isLessThan(5_000);
        assertThat(c.closed()).isTrue();
    }

    @Test
    void aClientGetsOnlyTheDeviceAndChannelItAskedFor() throws Exception {
        StreamClient c = new StreamClient("413d:2107@1-2", "temperature");
        c.offer(List.of(CO2), List.of());
        assertThat(c.next(0)).as("nothing of another device").isNull();
        c.offer(List.of(CO2, TEMP), List.of(STALE, new StoredEvent(8, 1, null, "clock.step", "x")));
        StreamClient.Batch b = c.next(0);
        assertThat(b.samples()).containsExactly(TEMP);
        assertThat(b.events()).containsExactly(STALE);
    }
}
