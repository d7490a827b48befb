package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreLocation;

/** A database file of schema version 2, with the units earlier versions stored garbled, opened by this one. */
class UnitRepairMigrationTest {
    private static final long T0 = SqlSampleStore.micros(Instant.parse("2026-11-25T10:00:00Z"));
    private static final String KEY = "1209:0001:OLD";

    @TempDir
    Path state;
    private final OsgiDataSourceFactory dsf = new OsgiDataSourceFactory(new org.h2.Driver());

    @Test
    void garbledUnitsAreRepairedOnceAtOpenAndTheSamplesAlreadyStoredExportWithTheRepairedUnit() throws Exception {
        StoreLocation location = new StoreLocation(state);
        JdbcDataSource old = new JdbcDataSource();
        old.setURL(location.embeddedUrl());
        old.setUser(StoreLocation.USER);
        old.setPassword(location.password());
        try (Connection c = old.getConnection()) {
            Version2Database.create(c, "VARBINARY(16777216)", KEY, T0, 10);
        }

        StoreOpening.Opened opened = StoreOpening.embedded(dsf, location);
        assertThat(opened.upgradedFrom()).isEqualTo(2);
        assertThat(units(opened)).containsExactly("R Ω", "T °C", "co2 ppm", "pm25 µg/m³", "temperature °C");
        assertThat(exportedUnits(opened)).containsExactly("R Ω", "T °C", "co2 ppm", "pm25 µg/m³", "temperature °C");
        assertThat(events(opened, "channel.repaired")).containsExactlyInAnyOrder(
                "channel T: unit 'Â°C' stored garbled by an earlier usblogd (its configuration file read as"
                        + " ISO-8859-1) repaired to '°C'",
                "channel R: unit 'Î©' stored garbled by an earlier usblogd (its configuration file read as"
                        + " ISO-8859-1) repaired to 'Ω'",
                "channel pm25: unit 'Âµg/mÂ³' stored garbled by an earlier usblogd (its configuration file read"
                        + " as ISO-8859-1) repaired to 'µg/m³'");
        opened.pool().close();
        StoreOpening.closed(location);

        StoreOpening.Opened again = StoreOpening.embedded(dsf, location);
        assertThat(again.upgradedFrom()).as("upgraded once").isZero();
        assertThat(events(again, "channel.repaired")).as("repaired once").hasSize(3);
        try (Connection c = again.pool().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION);
        }

        // the channel table of version 2 allowed one row per name: the upgraded one keeps a unit's history
        StoreWriter writer = new StoreWriter(again.pool(), 1_000, 100, 50, 200);
        writer.start();
        writer.attached(KEY, new UsbDeviceInfo(0x1209, 0x0001, 0x100, 0, 0, 0, "m", "p", "OLD", "1-1", 3, List.of()),
                "virtual", T0);
        RecorderSink sink = new RecorderSink(KEY, writer);
        sink.declare(new Channel("T", "K", "T"));
        sink.accept("T", T0 + 60_000_000L, 293.15);
        assertThat(writer.stop(20_000)).isTrue();
        List<StoredSample> t = new ArrayList<>();
        new SqlSampleStore(again.pool()).samples(new SampleQuery(KEY, "T", null, null), t::add);
        assertThat(t).extracting(StoredSample::unit).hasSize(11).startsWith("°C").endsWith("°C", "K");
        assertThat(events(again, "channel.unit")).containsExactly(
                "channel T: unit changed from °C to K; the samples recorded before keep °C");
        again.pool().close();
    }

    private static List<String> units(StoreOpening.Opened db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.pool().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, unit FROM channel ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    /** Each channel's name and the units its samples come out with, as export reads them. */
    private static List<String> exportedUnits(StoreOpening.Opened db) throws Exception {
        List<String> out = new ArrayList<>();
        new SqlSampleStore(db.pool()).samples(SampleQuery.all(), s -> {
            String u = s.channel() + " " + s.unit();
            if (!out.contains(u)) {
                out.add(u);
            }
        });
        out.sort(null);
        return out;
    }

    private static List<String> events(StoreOpening.Opened db, String kind) throws Exception {
        return TestDatabase.eventMessages(db.pool(), kind);
    }
}
