package org.usblogd.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.framework.Daemon;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * Real families' signals end to end: the assembled daemon in demo mode (in this JVM), its twins on the virtual bus
 * read by the real drivers. The three TEMPer twins are polled every 100 ms (a temperature at 0.01 °C resolution
 * wandering by noise, each reading stamped by the host's clock when it arrives, so the period jitters by the
 * scheduler's milliseconds); the FNIRSI FNB58 streams 100 samples/s of noisy volts and amps. After
 * {@code seconds} the daemon stops and the file tells what each channel cost.
 */
final class RealisticSignals {
    /** The TEMPer kinds the demo plugs in (gold, hum, two probes), each polled at 10 Hz. */
    private static final List<String> THERMOMETERS = List.of("413d:2107", "1a86:e025", "0c45:7401");

    private RealisticSignals() {
    }

    /** One channel (of every device of a kind) as stored: samples, encoded bytes, blocks. */
    record Channel(String vidPid, String name, long samples, long encodedBytes, long blocks) {
        double bytesPerSample() {
            return samples == 0 ? Double.NaN : encodedBytes / (double) samples;
        }
    }

    /** What the run stored: the channels named, all samples, the file's bytes compacted offline. */
    record Result(List<Channel> channels, long samples, long fileBytes) {
    }

    static Result run(Path dir, int seconds) throws Exception {
        Path home = dir.resolve("usblogd");
        PluginJars.copyOfPackage(home);
        for (String kind : THERMOMETERS) {
            Files.writeString(home.resolve("conf/org.usblogd.device-bench-" + kind.replace(':', '-') + ".cfg"),
                    "device = " + kind + "\npoll.ms = 100\n");
        }
        Path state = dir.resolve("state");
        Daemon daemon = new Daemon(home, state, true);
        try {
            daemon.start();
            Thread.sleep(seconds * 1_000L);
        } finally {
            daemon.stop();
        }
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(StoreLocation.USER);
        ds.setPassword(location.password());
        List<Channel> channels = new ArrayList<>();
        long all;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT d.vid, d.pid, c.name, SUM(b.n), SUM(LENGTH(b.data)), COUNT(*)"
                    + " FROM sample_block b JOIN channel c ON c.id = b.channel_id JOIN device d ON d.id = c.device_id"
                    + " GROUP BY d.vid, d.pid, c.name ORDER BY d.vid, d.pid, c.name")) {
                while (rs.next()) {
                    channels.add(new Channel(String.format("%04x:%04x", rs.getInt(1), rs.getInt(2)), rs.getString(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(n), 0) FROM sample_block")) {
                rs.next();
                all = rs.getLong(1);
            }
            s.execute("SHUTDOWN COMPACT");
        }
        return new Result(channels, all, StoreBenchmark.size(location.directory()));
    }

    /** The thermometers' temperature channels together. */
    static Channel temperature(Result r) {
        return sum(r, "temperature", THERMOMETERS);
    }

    /** The power meter's (2e3c:5558, an FNB58) channel {@code name}. */
    static Channel powerMeter(Result r, String name) {
        return sum(r, name, List.of("2e3c:5558"));
    }

    private static Channel sum(Result r, String name, List<String> kinds) {
        long n = 0;
        long bytes = 0;
        long blocks = 0;
        for (Channel c : r.channels()) {
            if (c.name().equals(name) && kinds.contains(c.vidPid())) {
                n += c.samples();
                bytes += c.encodedBytes();
                blocks += c.blocks();
            }
        }
        return new Channel(String.join(",", kinds), name, n, bytes, blocks);
    }
}
