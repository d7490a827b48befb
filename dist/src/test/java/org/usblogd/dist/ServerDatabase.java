package org.usblogd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.jdbcx.JdbcDataSource;
import org.usblogd.store.jdbc.StoreLocation;

/** A running daemon's database through its loopback H2 server, as the reading commands reach it. */
final class ServerDatabase {
    private ServerDatabase() {
    }

    /** Waits up to {@code seconds} for the daemon on {@code state} to say its server's port. */
    static JdbcDataSource of(Path state, int seconds) throws IOException, InterruptedException {
        StoreLocation db = new StoreLocation(state);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(db.serverFile())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no database server file " + db.serverFile());
            }
            Thread.sleep(100);
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(db.serverUrl(Integer.parseInt(Files.readString(db.serverFile()).strip())));
        ds.setUser(StoreLocation.USER);
        ds.setPassword(db.password());
        return ds;
    }
}
