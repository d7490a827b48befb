package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.EventQuery;
import org.usblogd.api.store.StoreListener;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;
import org.usblogd.store.jdbc.SqlSampleStore;

/** What the writer tells its listeners (the HTTP API's live stream) after each commit, on a real H2 file. */
class StoreListenerTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));

    @TempDir
    Path state;

    @Test
    void listenersAreToldOfEveryCommittedSampleOnceAndOfEventsWithTheirIds() throws Exception {
        JdbcDataSource ds = TestDatabase.in(state);
        // blocks of 16: most samples reach the listener from sealed (encoded) blocks, the rest from filling ones
        StoreWriter writer = new StoreWriter(ds, 100_000, 16, 20, 1_000);
        List<StoredSample> told = new CopyOnWriteArrayList<>();
        List<StoredEvent> events = new CopyOnWriteArrayList<>();
        StoreListener listener = (s, e) -> {
            told.addAll(s);
            events.addAll(e);
        };
        writer.listeners(() -> List.of(listener, (s, e) -> {
            throw new IllegalStateException("a listener that fails does not stop the others or the writer");
        }));
        writer.start();
        writer.attached("1209:0001:A", new org.usblogd.api.usb.UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p",
                "A", "1-1", 3, List.of()), "virtual", T0);
        RecorderSink a = new RecorderSink("1209:0001:A", writer);
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 100; i++) {
            a.accept("co2", T0 + i * 1_000_000L, 400 + i);
            if (i % 10 == 0) {
                Thread.sleep(30); // several commits
            }
        }
        writer.event("1209:0001:A", "device.stale", "silent");
        assertThat(writer.stop(20_000)).isTrue();

        assertThat(told).extracting(StoredSample::value).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> 400.0 + i).toList());
        assertThat(told).allSatisfy(s -> assertThat(s.unit()).isEqualTo("ppm"));
        List<StoredEvent> stored = new ArrayList<>();
        new SqlSampleStore(ds).events(new EventQuery(null, "device.stale", null, 0), stored::add);
        assertThat(events).filteredOn(e -> e.kind().equals("device.stale")).singleElement()
                .isEqualTo(stored.get(0));
    }
}
