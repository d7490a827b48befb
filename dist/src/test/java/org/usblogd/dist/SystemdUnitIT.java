package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit passes {@code systemd-analyze verify} without a warning and asks for what the daemon needs. */
class SystemdUnitIT {
    @TempDir
    Path root;

    @Test
    void theUnitVerifiesCleanlyAndDeclaresNotifyWatchdogAndHardening() throws Exception {
        Path unit = Path.of(System.getProperty("usblogd.unit"));
        String text = Files.readString(unit);
        assertThat(text).contains("Type=notify", "NotifyAccess=main", "WatchdogSec=", "Restart=on-failure",
                "SuccessExitStatus=143", "User=usblogd", "StateDirectory=usblogd", "CacheDirectory=usblogd",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                "DeviceAllow=char-usb_device rw").doesNotContain("MemoryDenyWriteExecute");

        // A root holding the installed layout and the system's own units, so verify can check ExecStart.
        Path bin = Files.createDirectories(root.resolve("usr/share/usblogd/bin"));
        Files.copy(Dist.home().resolve("bin/usblogd"), bin.resolve("usblogd"), StandardCopyOption.COPY_ATTRIBUTES);
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> system = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path p : (Iterable<Path>) system::iterator) {
                Files.copy(p, units.resolve(p.getFileName().toString()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(unit, etc.resolve("usblogd.service"));

        Process verify = new ProcessBuilder("systemd-analyze", "verify", "--root=" + root,
                "/etc/systemd/system/usblogd.service").redirectErrorStream(true).start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(out).isZero();
        assertThat(out).as("warnings of systemd-analyze verify").isBlank();
    }
}
