package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.usblogd.store.jdbc.StoreLocation;

/** What a daemon started with WATCHDOG_USEC=1000000 must show on its notify socket. */
final class WatchdogChecks {
    private WatchdogChecks() {
    }

    /** WatchdogSec=1: a keep-alive about every 500 ms, and STATUS with devices and samples per minute. */
    static void keepAlivesEveryHalfSecond(NotifyListener notify) throws InterruptedException {
        Thread.sleep(3_000);
        long now = System.currentTimeMillis();
        List<Long> keepAlives = notify.times("WATCHDOG=1", now - 3_000, now);
        assertThat(keepAlives.size()).as("keep-alives in 3 s").isBetween(4, 8);
        assertThat(NotifyListener.maxInterval(keepAlives)).as("longest pause between keep-alives, ms")
                .isLessThan(1_000);
        assertThat(notify.received()).anySatisfy(m -> assertThat(m.text()).startsWith("STATUS=")
                .contains("device(s) logging").contains("samples/min"));
    }

    /**
     * Pauses the database (H2's exclusive mode, through the daemon's loopback server) so that the store
     * writer is wedged: keep-alives must stop and STATUS say why; released, they must come back.
     */
    static void noKeepAlivesWhileTheWriterIsWedged(NotifyListener notify, Path state) throws Exception {
        StoreLocation db = new StoreLocation(state);
        int port = Integer.parseInt(Files.readString(db.serverFile()).strip());
        try (Connection c = DriverManager.getConnection(db.serverUrl(port), StoreLocation.USER, db.password());
                Statement s = c.createStatement()) {
            long wedged = System.currentTimeMillis();
            s.execute("SET EXCLUSIVE 1"); // every other connection, the writer's too, now waits
            Thread.sleep(4_500);
            long end = System.currentTimeMillis();
            assertThat(notify.times("WATCHDOG=1", wedged + 2_500, end)).as("keep-alives while wedged").isEmpty();
            assertThat(notify.hasStatusContaining("UNHEALTHY: store-writer")).isTrue();
            s.execute("SET EXCLUSIVE 0");
            long released = System.currentTimeMillis();
            Dist.await("keep-alives again", 10_000,
                    () -> !notify.times("WATCHDOG=1", released, Long.MAX_VALUE).isEmpty());
        }
    }
}
