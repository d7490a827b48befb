package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
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
    private static final Path STATE = Path.of("/var/lib/usblogd");
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

    private static final Path ADDED_SIM = Path.of("/usr/share/usblogd/bundles/test-sim.jar");
    private static final Path ADDED_COUNTERS = Path.of("/usr/share/usblogd/bundles/test-counter-twin.jar");

    @AfterEach
    void purge() throws Exception {
        Files.deleteIfExists(ADDED_SIM);
        Files.deleteIfExists(ADDED_COUNTERS);
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("notify.sock"));
            Files.deleteIfExists(socketDir);
        }
        Debian.purgeIfInstalled();
    }

    /**
     * A member of the group usblogd (here nobody with usblogd as a supplementary group) reads devices and
     * samples, through the running daemon's server or from the file; through the server it is the database's
     * reader, which may not write. Anyone else gets one line naming what keeps them out and the fix.
     */
    private static void theDaemonsGroupReadsItsDataAndNobodyElse(boolean daemonRuns) throws Exception {
        Path home = Path.of("/usr/share/usblogd");
        List<String> member = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--groups=usblogd", "--");
        List<String> stranger = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");

        Cli.Result devices = Cli.run(home, member, Map.of(), "devices", "--state", STATE.toString());
        assertThat(devices.exit()).as("devices as a member of usblogd: %s", devices).isZero();
        assertThat(devices.out()).contains("1209:0010:SIM0001");
        Cli.Result export = Cli.run(home, member, Map.of(), "export", "--device", "1209:0010:SIM0001", "--state",
                STATE.toString());
        assertThat(export.exit()).as("export as a member of usblogd: %s", export).isZero();
        assertThat(Dist.csvRows(export.out())).as("%s", export).isNotEmpty();

        for (String command : List.of("devices", "export")) {
            Cli.Result denied = Cli.run(home, stranger, Map.of(), command, "--state", STATE.toString());
            assertThat(denied.exit()).as("%s as nobody, in no group: %s", command, denied).isEqualTo(1);
            assertThat(denied.err().lines().toList()).as("%s", denied).hasSize(1).first().asString()
                    .contains(STATE.toString(), "usblogd:usblogd", "sudo usermod -a -G usblogd nobody");
        }

        Path db = STATE.resolve("db");
        DebPackageIT.assertOwnedWithMode(db.resolve("credentials"), "usblogd", "usblogd", "rw-------");
        DebPackageIT.assertOwnedWithMode(db.resolve("reader-credentials"), "usblogd", "usblogd", "rw-r-----");
        if (daemonRuns) {
            String url = "jdbc:h2:tcp://127.0.0.1:" + Files.readString(db.resolve("server.port")).strip() + "/usblogd";
            try (Connection c = DriverManager.getConnection(url, "READER",
                    Files.readString(db.resolve("reader-credentials")).strip()); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("DELETE FROM event")).as("the reader writing")
                        .hasMessageContaining("Not enough rights");
            }
        }
    }

    @Test
    void runsAsUsblogdAndKeepsTheWatchdogFedOnlyWhileDataFlows() throws Exception {
        // a driver added by root, and a core that gives up on a stale device quickly and then wants a restart
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")),
                Path.of("/usr/share/usblogd/plugins/counter-driver.jar"));
        // the package has no simulator: the virtual bus and the counters join its bundles, for this test only
        // (started with the infrastructure, as in a test installation; removed again after the test)
        try (var demo = Files.list(Dist.home().resolve("demo/bundles"))) {
            Files.copy(demo.filter(p -> p.getFileName().toString().startsWith("sim-")).findFirst().orElseThrow(),
                    ADDED_SIM);
        }
        Files.copy(PluginJars.counterTwin(), ADDED_COUNTERS);
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
                theDaemonsGroupReadsItsDataAndNobodyElse(true);
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
            theDaemonsGroupReadsItsDataAndNobodyElse(false);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
