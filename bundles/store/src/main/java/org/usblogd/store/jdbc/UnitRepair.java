package org.usblogd.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.LoggerFactory;

/**
 * Repairs channel units that earlier versions stored garbled: their configuration files were read as
 * ISO-8859-1, so a {@code °C} written in UTF-8 was stored as {@code Â°C}. A unit is repaired only when its
 * characters, taken back as ISO-8859-1 bytes, are well-formed UTF-8 of other text; a unit that is correct
 * ({@code °C} itself, from a driver's code) is not, since its bytes are no well-formed UTF-8. Each repair is
 * recorded as a {@code channel.repaired} event of the device. Channel names are left as they are: the
 * high-water mark kept outside the database knows channels by name.
 */
final class UnitRepair {
    private UnitRepair() {
    }

    /** Repairs every garbled unit, in the caller's transaction; returns how many rows it changed. */
    static int run(Connection c) throws SQLException {
        record Row(int id, int device, String name, String unit, String repaired) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, device_id, name, unit FROM channel ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String unit = rs.getString(4);
                String repaired = repaired(unit);
                if (!repaired.equals(unit)) {
                    rows.add(new Row(rs.getInt(1), rs.getInt(2), rs.getString(3), unit, repaired));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis() * 1_000;
        Set<String> said = new LinkedHashSet<>();
        try (PreparedStatement up = c.prepareStatement("UPDATE channel SET unit = ? WHERE id = ?");
                PreparedStatement ev = c.prepareStatement(
                        "INSERT INTO event(t, device_id, kind, message) VALUES (?, ?, 'channel.repaired', ?)")) {
            for (Row r : rows) {
                up.setString(1, r.repaired());
                up.setInt(2, r.id());
                up.executeUpdate();
                ev.setLong(1, now);
                ev.setInt(2, r.device());
                ev.setString(3, "channel " + r.name() + ": unit '" + r.unit() + "' stored garbled by an earlier"
                        + " usblogd (its configuration file read as ISO-8859-1) repaired to '" + r.repaired() + "'");
                ev.executeUpdate();
                said.add(r.unit() + " -> " + r.repaired());
            }
        }
        LoggerFactory.getLogger(UnitRepair.class).info("store: {} channel unit(s) stored garbled by an earlier usblogd"
                + " repaired ({}); channel.repaired events name each", rows.size(), String.join(", ", said));
        return rows.size();
    }

    /** The text a garbled unit was written as, or the unit itself when it is not garbled. */
    static String repaired(String unit) {
        boolean high = false;
        for (int i = 0; i < unit.length(); i++) {
            char ch = unit.charAt(i);
            if (ch > 0xFF) {
                return unit; // not from ISO-8859-1 decoding
            }
            high |= ch >= 0x80;
        }
        if (!high) {
            return unit;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(unit.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return unit;
        }
    }
}
