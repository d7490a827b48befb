package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.Schema;

/** {@code usblogd export --tier}: the summaries, streamed in time order. */
class ExportTierTest {
    private static final long T0 = 1_795_000_000_000_000L; // 2026-11-18T11:06:40Z

    @TempDir
    Path state;

    private String export(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state";
        all[args.length + 1] = state.toString();
        int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A CO2 monitor and its channel, which the summaries are of. */
    private static void co2Monitor(Connection c, Statement s) throws Exception {
        Schema.ensure(c);
        s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('04d9:a052@1-1', 1241,"
                + " 41042, 0, 0)");
        s.execute("INSERT INTO channel(device_id, name, unit) SELECT id, 'co2', 'ppm' FROM device");
    }

    @Test
    void hourSummariesAsCsvAndJson() throws Exception {
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            co2Monitor(c, s);
            s.execute("INSERT INTO sample_rollup(channel_id, tier, t, n, mn, mx, mean) SELECT id, 2, " + (T0 + 3_600_000_000L)
                    + ", 600, 410, 900, 612.5 FROM channel");
            s.execute("INSERT INTO sample_rollup(channel_id, tier, t, n, mn, mx, mean) SELECT id, 2, " + T0
                    + ", 598, 400, 800, 512.25 FROM channel");
            s.execute("INSERT INTO sample_rollup(channel_id, tier, t, n, mn, mx, mean) SELECT id, 1, " + T0
                    + ", 10, 400, 420, 410 FROM channel");
            s.execute("SHUTDOWN");
        }

        assertThat(export("export", "--tier", "hour")).isEqualTo("time,device,channel,min,max,mean,count,unit\n"
                + "2026-11-18T11:06:40Z,04d9:a052@1-1,co2,400.0,800.0,512.25,598,ppm\n"
                + "2026-11-18T12:06:40Z,04d9:a052@1-1,co2,410.0,900.0,612.5,600,ppm\n");
        assertThat(export("export", "--tier", "minute", "--format", "json")).isEqualTo("[\n{\"time\":"
                + "\"2026-11-18T11:06:40Z\",\"device\":\"04d9:a052@1-1\",\"channel\":\"co2\",\"min\":400.0,\"max\":420.0,"
                + "\"mean\":410.0,\"count\":10,\"unit\":\"ppm\"}\n]\n");
        assertThat(export("export", "--tier", "hour", "--from", "2026-11-18T12:00:00Z")).endsWith(
                "\n2026-11-18T12:06:40Z,04d9:a052@1-1,co2,410.0,900.0,612.5,600,ppm\n");
    }

    @Test
    void anUnknownTierIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] { "export", "--tier", "second", "--state", state.toString() },
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'second' is not a tier (raw, minute or hour)");
    }

    @Test
    void anExportItCannotWriteIsOneLineAndExitStatus1NotASilentTruncatedFile() throws Exception {
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            co2Monitor(c, s);
            for (int i = 0; i < 50; i++) {
                s.execute("INSERT INTO sample_rollup(channel_id, tier, t, n, mn, mx, mean) SELECT id, 1, "
                        + (T0 + i * 60_000_000L) + ", 10, 400, 420, 410 FROM channel");
            }
            s.execute("SHUTDOWN");
        }
        java.io.OutputStream fullDisk = new java.io.OutputStream() {
            private int left = 100;

            @Override
            public void write(int b) throws java.io.IOException {
                if (--left < 0) {
                    throw new java.io.IOException("No space left on device");
                }
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] { "export", "--tier", "minute", "--state", state.toString() },
                new PrintStream(fullDisk, true, StandardCharsets.UTF_8), new PrintStream(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write the export");
    }
}
