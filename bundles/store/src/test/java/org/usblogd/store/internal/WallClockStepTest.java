package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.SqlSampleStore;

/** The wall clock stepping back and forward by an hour while a 100 Hz device logs: commits go on. */
class WallClockStepTest {
    private static final long HOUR_MICROS = 3_600_000_000L;

    @TempDir
    Path state;

    @Test
    void commitsGoOnWhenTheWallClockStepsBackAndForwardByAnHour() throws Exception {
        JdbcDataSource ds = TestDatabase.in(state);
        AtomicLong offset = new AtomicLong();
        StoreClock stepping = new StoreClock() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public long wallMicros() {
                return SampleSink.nowMicros() + offset.get();
            }
        };
        StoreWriter writer = new StoreWriter(ds, StoreWriter.Settings.of(100_000, 4_096, 50, 200), stepping);
        writer.start();
        String key = "1209:0001:CLK";
        writer.attached(key, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "CLK", "1-1", 3, List.of()),
                "virtual", stepping.wallMicros());
        RecorderSink sink = new RecorderSink(key, writer);
        sink.declare(new Channel("n", "", "sequence"));
        List<Long> visibleAtSteps = new ArrayList<>();
        long t0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
        for (int i = 0; i < 400; i++) { // 4 s at 100 Hz
            if (i == 100) {
                offset.addAndGet(-HOUR_MICROS);
            } else if (i == 200) {
                visibleAtSteps.add(writer.written());
                offset.addAndGet(2 * HOUR_MICROS);
            } else if (i == 300) {
                visibleAtSteps.add(writer.written());
            }
            sink.accept("n", t0 + i * 10_000L, i);
            Thread.sleep(10);
        }
        assertThat(visibleAtSteps.get(0)).as("written one second after the step back").isGreaterThan(150);
        assertThat(visibleAtSteps.get(1)).as("written one second after the step forward").isGreaterThan(250);
        assertThat(writer.stop(20_000)).isTrue();

        assertThat(writer.written()).as("written").isEqualTo(writer.accepted()).isEqualTo(400);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message FROM event WHERE kind = 'clock.step' ORDER BY id")) {
            List<String> steps = new ArrayList<>();
            while (rs.next()) {
                steps.add(rs.getString(1));
            }
            assertThat(steps).hasSize(2);
            assertThat(steps.get(0)).matches("the wall clock stepped back by 3(599|600)\\d{3} ms .*");
            assertThat(steps.get(1)).matches("the wall clock stepped forward by 7(199|200)\\d{3} ms .*");
        }
    }
}
