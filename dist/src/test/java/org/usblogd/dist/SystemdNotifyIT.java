package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled daemon with NOTIFY_SOCKET pointing at a datagram socket this test listens on, as systemd
 * does for Type=notify with WatchdogSec: READY, STATUS and WATCHDOG at the right cadence, no keep-alives
 * while the store writer is wedged (the database paused), STOPPING on SIGTERM.
 */
class SystemdNotifyIT {
    @TempDir
    Path tmp;

    @Test
    void notifiesReadyStatusWatchdogOnlyWhileHealthyAndStopping() throws Exception {
        Path state = tmp.resolve("state");
        try (NotifyListener notify = new NotifyListener(tmp.resolve("notify.sock"))) {
            ProcessBuilder pb = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--demo",
                    "--state", state.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("daemon.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", tmp.resolve("notify.sock").toString());
            pb.environment().put("WATCHDOG_USEC", "1000000"); // WatchdogSec=1: a keep-alive every 500 ms
            pb.environment().put("USBLOGD_JAVA_OPTS", "-Dusblogd.watchdog.stall.ms=1500");
            Process daemon = pb.start();
            long started = System.currentTimeMillis();
            try {
                Dist.await("READY=1", 20_000, () -> notify.has("READY=1"));
                System.out.println("READY=1 after " + (notify.first("READY=1").at() - started) + " ms");
                WatchdogChecks.keepAlivesEveryHalfSecond(notify);
                WatchdogChecks.noKeepAlivesWhileTheWriterIsWedged(notify, state);
            } catch (AssertionError e) {
                System.out.println("received: " + notify.received());
                System.out.println(Files.readString(tmp.resolve("daemon.log")));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            Dist.await("STOPPING=1", 5_000, () -> notify.has("STOPPING=1"));
        }
    }
}
