package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon as the package installs it, started the way its unit starts it: as the unprivileged user
 * usblogd, state in /var/lib/usblogd, with NOTIFY_SOCKET and WATCHDOG_USEC pointing at a socket this test
 * listens on. Root only (CI runs it).
 */
class InstalledServiceIT {
    private static final Path CONF = Path.of("/etc/usblogd");
    private Path socketDir;

    @BeforeEach
    void install() throws Exception {
        Debian.assumeRootWithDpkg();
        Debian.purgeIfInstalled();
        Debian.run("dpkg", "-i", Debian.builtPackage().toString());
        // the socket must be reachable by usblogd, as systemd's /run/systemd/notify is
        socketDir = Files.createTempDirectory("usblogd-notify");
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void purge() throws Exception {
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("notify.sock"));
            Files.deleteIfExists(socketDir);
        }
        Debian.purgeIfInstalled();
    }

    @Test
    void runsAsUsblogdAndKeepsTheWatchdogFedOnlyWhileDataFlows() throws Exception {
        // a driver added by root, and a core that gives up on a stale device quickly and then wants a restart
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")),
                Path.of("/usr/share/usblogd/plugins/counter-driver.jar"));
        Files.writeString(CONF.resolve("org.usblogd.usb.cfg"),
                "stale.min.ms = 500\nstale.first.ms = 3000\nstale.restart = true\n", StandardOpenOption.APPEND);
        Path log = Files.createTempFile("usblogd-installed", ".log");
        Path socket = socketDir.resolve("notify.sock");
        try (NotifyListener notify = new NotifyListener(socket)) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=usblogd", "--regid=usblogd", "--init-groups",
                    "--", "/usr/bin/usblogd", "run", "--state", "/var/lib/usblogd").redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().remove("LD_PRELOAD");
            pb.environment().put("NOTIFY_SOCKET", socket.toString());
            pb.environment().put("WATCHDOG_USEC", "1000000");
            pb.environment().put("USBLOGD_LOG_FORMAT", "journald");
            pb.environment().put("USBLOGD_JAVA_OPTS",
                    "-Djava.io.tmpdir=/var/cache/usblogd -Dusblogd.watchdog.stall.ms=1500");
            Process daemon = pb.start();
            try {
                Dist.await("READY=1", 30_000, () -> notify.has("READY=1"));
                String uid = Debian.run("id", "-u", "usblogd").strip();
                assertThat(Files.readAllLines(Path.of("/proc/" + daemon.pid() + "/status")))
                        .as("the daemon's real and effective uid").anySatisfy(l -> assertThat(l)
                                .matches("Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid));

                // data flows: a writer with nothing to commit is healthy, one that cannot commit is not
                Files.writeString(CONF.resolve("org.usblogd.sim.counters.cfg"), "count = 1\nperiod.ms = 20\n");
                Dist.await("a device logging", 20_000, () -> notify.hasStatusContaining("1 device(s) logging"));
                WatchdogChecks.keepAlivesEveryHalfSecond(notify);
                WatchdogChecks.noKeepAlivesWhileTheWriterIsWedged(notify, Path.of("/var/lib/usblogd"));

                // a simulated device whose firmware wedges after 60 reports; reopen and reset cannot help
                Files.writeString(CONF.resolve("org.usblogd.sim.counters.cfg"),
                        "count = 1\nperiod.ms = 20\nwedge.after = 60\n");
                Dist.await("stale in STATUS", 20_000, () -> notify.hasStatusContaining("stale: 1209:0010:SIM0001"));
                Dist.await("unhealthy after reopen and reset", 20_000, () -> notify.hasStatusContaining(
                        "UNHEALTHY: device-manager: still stale after reopen and reset: 1209:0010:SIM0001"));
                long gaveUp = System.currentTimeMillis();
                Thread.sleep(2_000);
                assertThat(notify.times("WATCHDOG=1", gaveUp + 600, Long.MAX_VALUE))
                        .as("keep-alives after recovery failed, so that systemd restarts the daemon").isEmpty();
                assertThat(Files.readString(log)).contains("<4>", "stale: nothing delivered for",
                        "still stale after reopening: ", "<3>", "watchdog keep-alives stopped");
            } catch (AssertionError e) {
                System.out.println("received: " + notify.received());
                System.out.println(Files.readString(log));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).as("exit on SIGTERM (SuccessExitStatus=143)").isIn(0, 143);
            Dist.await("STOPPING=1", 5_000, () -> notify.has("STOPPING=1"));
            assertThat(Files.readString(log)).doesNotContain("Exception in thread");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
