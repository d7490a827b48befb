package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.StoreLocation;

/** Commands that read the record do not write it: the file is byte for byte the same afterwards. */
class ReadOnlyCommandsTest {
    @TempDir
    Path state;

    @Test
    void exportDevicesAndEventsLeaveADatabaseLeftByACrashAsItWas() throws Exception {
        StoreLocation db = new StoreLocation(state);
        try (Connection c = StateDatabase.open(state); Statement s = c.createStatement()) {
            Schema.ensure(c);
            s.execute("INSERT INTO device(device_key, vid, pid, first_seen, last_seen) VALUES ('04d9:a052@1-1', 1241,"
                    + " 41042, 0, 0)");
            for (int i = 0; i < 500; i++) { // dead chunks, as a logger leaves them
                s.execute("UPDATE device SET last_seen = " + i);
            }
            s.execute("SHUTDOWN IMMEDIATELY"); // as a crash leaves it: not compacted
        } catch (java.sql.SQLException closedByShutdown) {
            // the connection is gone with the database
        }
        String before = sha256(db.databaseFile());

        run("export");
        run("devices");
        run("events");
        run("status", 3); // no daemon runs

        assertThat(sha256(db.databaseFile())).as("the database file after export, devices, events and status").isEqualTo(before);
    }

    private void run(String command) {
        run(command, 0);
    }

    private int run(String command, int expected) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] { command, "--state", state.toString() },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true));
        assertThat(code).as(err.toString()).isEqualTo(expected);
        return code;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
