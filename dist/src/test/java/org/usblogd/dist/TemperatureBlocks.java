package org.usblogd.dist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

import org.usblogd.store.jdbc.BlockCodec;
import org.usblogd.store.jdbc.Schema;

/**
 * A thermometer read at 10 Hz by the host's clock (each time within a millisecond of its nominal tick, in order;
 * the value wandering by hundredths), written straight into the store's tables as its writer stores samples:
 * sealed blocks of 4096 encoded by its codec. For the tests and benchmarks that need a channel-day or a
 * channel-month on disk in seconds.
 */
final class TemperatureBlocks {
    static final String CHANNEL = "temperature";
    private static final long TICK_MICROS = 100_000;
    private static final int BLOCK = 4096;

    private TemperatureBlocks() {
    }

    /** The device (a TEMPer's IDs), its channel in °C and {@code samples} samples from {@code startMicros}. */
    static void write(Connection c, String deviceKey, String product, long startMicros, long samples, long seed)
            throws SQLException {
        long end = startMicros + samples * TICK_MICROS;
        Random r = new Random(seed);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            Schema.ensure(c);
            try (PreparedStatement d = c.prepareStatement("INSERT INTO device(device_key, vid, pid, product, first_seen,"
                    + " last_seen) VALUES (?, 16701, 8455, ?, ?, ?)")) {
                d.setString(1, deviceKey);
                d.setString(2, product);
                d.setLong(3, startMicros);
                d.setLong(4, end);
                d.executeUpdate();
            }
            s.execute("INSERT INTO channel(device_id, name, unit) SELECT id, '" + CHANNEL + "', '°C' FROM device");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample_block(channel_id, t_first, t_last, n,"
                    + " sealed, data) SELECT id, ?, ?, ?, TRUE, ? FROM channel")) {
                long[] t = new long[BLOCK];
                double[] v = new double[BLOCK];
                long nominal = startMicros;
                double temperature = 21.41;
                int blocks = 0;
                for (long done = 0; done < samples;) {
                    int k = (int) Math.min(BLOCK, samples - done);
                    for (int i = 0; i < k; i++) {
                        t[i] = Math.max(nominal + r.nextInt(2_001) - 1_000, i == 0 ? startMicros : t[i - 1] + 1);
                        nominal += TICK_MICROS;
                        temperature = Math.round((temperature + (r.nextInt(5) - 2) * 0.01) * 100) / 100.0;
                        v[i] = temperature;
                    }
                    ps.setLong(1, t[0]);
                    ps.setLong(2, t[k - 1]);
                    ps.setInt(3, k);
                    ps.setBytes(4, BlockCodec.encode(t, v, k));
                    ps.executeUpdate();
                    done += k;
                    if (++blocks % 200 == 0) {
                        c.commit();
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
