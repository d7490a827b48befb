package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user meets it: unpacked with tar into a directory of its own and run from there, with the
 * state in its {@code state/} (no --state), once in a terminal and once under a NOTIFY_SOCKET as systemd gives
 * it. It must hold what the .deb holds, and the demo besides: both are made from the one installation directory.
 */
class TarballIT {
    @TempDir
    Path tmp;
    Path home;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("usblogd.deb")))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("usblogd-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tarball: the package phase builds it"));
        }
        Debian.run("tar", "-xzf", tarball.toString(), "-C", tmp.toString());
        home = tmp.resolve("usblogd");
    }

    @Test
    void theTarballHoldsTheProgramTheDebianPackageHolds() throws Exception {
        Path deb = tmp.resolve("deb");
        Debian.run("dpkg-deb", "-x", Debian.builtPackage().toString(), deb.toString());
        for (String dir : List.of("bin", "lib", "bundles", "plugins")) {
            assertThat(files(home.resolve(dir))).as("%s/", dir)
                    .isEqualTo(files(deb.resolve("usr/share/usblogd").resolve(dir))).isNotEmpty();
        }
        // the demo is the tarball's alone: the package carries no simulator
        assertThat(files(home.resolve("demo"))).isNotEmpty();
        assertThat(deb.resolve("usr/share/usblogd/demo")).doesNotExist();
        assertThat(files(home.resolve("conf"))).as("conf/").isEqualTo(files(deb.resolve("etc/usblogd")));
        assertThat(Files.isExecutable(home.resolve("bin/usblogd"))).isTrue();
    }

    @Test
    void runDemoFromTheUnpackedTarballLogsEveryDemoDevice() throws Exception {
        Path log = tmp.resolve("daemon.log");
        Process daemon = daemon(log, null);
        try {
            Samples samples = new Samples(home.resolve("state"));
            Dist.await("every demo device logging", 60_000,
                    () -> DeviceFamilies.allLogging(samples));
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isIn(0, 143);
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }

    @Test
    void runDemoFromTheUnpackedTarballUnderNotifySocketSaysReady() throws Exception {
        Path log = tmp.resolve("daemon.log");
        Path socket = tmp.resolve("notify.sock");
        try (NotifyListener notify = new NotifyListener(socket)) {
            Process daemon = daemon(log, socket);
            try {
                Dist.await("READY=1", 60_000, () -> notify.has("READY=1") || !daemon.isAlive());
                assertThat(daemon.isAlive()).as("the daemon still runs").isTrue();
                Samples samples = new Samples(home.resolve("state"));
                Dist.await("every demo device logging", 60_000,
                        () -> DeviceFamilies.allLogging(samples));
            } catch (AssertionError e) {
                System.out.println("received: " + notify.received());
                System.out.println(Files.readString(log));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            Dist.await("STOPPING=1", 5_000, () -> notify.has("STOPPING=1"));
        }
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }

    private Process daemon(Path log, Path notifySocket) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo")
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("USBLOGD_STATE");
        pb.environment().remove("NOTIFY_SOCKET");
        if (notifySocket != null) {
            pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
        }
        return pb.start();
    }

    /** Every file and link below a directory, as paths relative to it. */
    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p) || Files.isSymbolicLink(p))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
