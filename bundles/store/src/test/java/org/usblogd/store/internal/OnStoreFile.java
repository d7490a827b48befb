package org.usblogd.store.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.SqlSampleStore;

/**
 * Tests of the store's writer and queries on a real H2 file, a fresh one for each test, opened as the daemon
 * opens it; devices are attached as the core attaches them, and what the store kept is read back.
 */
abstract class OnStoreFile {
    /** Where the tests' samples start: 2026-11-25T10:00:00Z. */
    static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));

    @TempDir
    Path state;
    JdbcDataSource ds;

    @BeforeEach
    void openDatabase() throws Exception {
        ds = TestDatabase.in(state);
    }

    /** Every sample stored, as the queries return them. */
    List<StoredSample> stored() throws Exception {
        List<StoredSample> all = new ArrayList<>();
        new SqlSampleStore(ds).samples(SampleQuery.all(), all::add);
        return all;
    }

    /** The messages of the stored events of that kind, oldest first. */
    List<String> eventMessages(String kind) throws Exception {
        return TestDatabase.eventMessages(ds, kind);
    }

    /** Attaches the device {@code key} names at {@link #T0}: the sink the core would give its driver. */
    static RecorderSink attach(StoreWriter writer, String key) {
        writer.attached(key, info(key), "virtual", T0);
        return new RecorderSink(key, writer);
    }

    /** The device a key names: {@code vid:pid:serial} on port 1-1, or {@code vid:pid@port} without a serial. */
    static UsbDeviceInfo info(String key) {
        int vid = Integer.parseInt(key.substring(0, 4), 16);
        int pid = Integer.parseInt(key.substring(5, 9), 16);
        boolean byPort = key.charAt(9) == '@';
        return new UsbDeviceInfo(vid, pid, 0x100, 0, 0, 0, "m", "p", byPort ? null : key.substring(10),
                byPort ? key.substring(10) : "1-1", 3, List.of());
    }
}
