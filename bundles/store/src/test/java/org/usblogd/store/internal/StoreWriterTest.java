package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/** The writer and the queries on a real H2 file. */
class StoreWriterTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));

    @TempDir
    Path state;
    private JdbcDataSource ds;

    @BeforeEach
    void openDatabase() throws Exception {
        StoreLocation location = new StoreLocation(state);
        ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        try (Connection c = ds.getConnection()) {
            Schema.ensure(c);
        }
    }

    @Test
    void stoppingWritesEverythingQueuedAndQueriesFilterByDeviceChannelAndTime() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 100_000, 500, 60_000); // no timed flush: stop must flush
        writer.start();
        RecorderSink a = attach(writer, "1209:0001:A");
        RecorderSink b = attach(writer, "1209:0001:B");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));
        a.declare(new Channel("temperature", "°C", "temperature"));
        b.declare(new Channel("co2", "ppm", "carbon dioxide"));
        for (int i = 0; i < 10_000; i++) {
            a.accept("co2", T0 + i * 1_000_000L, 400 + i);
            a.accept("temperature", T0 + i * 1_000_000L, 20.5);
            b.accept("co2", T0 + i * 1_000_000L, 900);
        }
        a.accept("pressure", T0, 1013); // never declared

        assertThat(writer.stop(20_000)).isTrue();

        assertThat(writer.accepted()).isEqualTo(30_000);
        assertThat(writer.written()).isEqualTo(30_000);
        SqlSampleStore store = new SqlSampleStore(ds);
        assertThat(store.samples(SampleQuery.all(), s -> { })).isEqualTo(30_000);
        List<StoredSample> window = new ArrayList<>();
        store.samples(new SampleQuery("1209:0001:A", "co2", Instant.parse("2026-11-25T10:00:10Z"),
                Instant.parse("2026-11-25T10:00:13Z")), window::add);
        assertThat(window).extracting(StoredSample::value).containsExactly(410.0, 411.0, 412.0);
        assertThat(window).allSatisfy(s -> assertThat(s.unit()).isEqualTo("ppm"));
        assertThat(store.devices()).extracting(d -> d.device() + "=" + d.samples())
                .containsExactly("1209:0001:A=20000", "1209:0001:B=10000");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        StoreWriter writer = new StoreWriter(ds, 10, 5, 60_000); // not started: nothing drains the queue
        RecorderSink a = attach(writer, "1209:0001:A");
        a.declare(new Channel("co2", "ppm", "carbon dioxide"));

        for (int i = 0; i < 25; i++) {
            a.accept("co2", T0 + i, i);
        }

        assertThat(writer.accepted()).isEqualTo(10);
        assertThat(writer.dropped()).isEqualTo(15);
    }

    private static RecorderSink attach(StoreWriter writer, String key) {
        UsbDeviceInfo info = new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", key.substring(10), "1-1", 3,
                List.of());
        writer.submit(new StoreOp.Attached(key, info, "virtual", T0));
        return new RecorderSink(key, writer);
    }
}
