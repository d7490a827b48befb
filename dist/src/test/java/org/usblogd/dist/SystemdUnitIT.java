package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units pass {@code systemd-analyze verify} without a warning and ask for what the daemon needs.
 */
class SystemdUnitIT {
    /** The daemon's unit and those that let it reach its outputs' servers, as the .deb installs them. */
    static final List<String> UNITS = List.of("usblogd.service", "usblogd-outputs.service", "usblogd-outputs.path",
            "usblogd-outputs.timer");

    @TempDir
    Path root;

    @Test
    void theUnitsVerifyCleanlyAndDeclareNotifyWatchdogHardeningAndTheOutputsAddresses() throws Exception {
        Path unit = Path.of(System.getProperty("usblogd.unit"));
        String text = Files.readString(unit);
        assertThat(text).contains("Type=notify", "NotifyAccess=main", "WatchdogSec=", "Restart=on-failure",
                "SuccessExitStatus=143", "User=usblogd", "StateDirectory=usblogd", "CacheDirectory=usblogd",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                "DeviceAllow=char-usb_device rw", "IPAddressDeny=any", "IPAddressAllow=localhost",
                "Wants=usblogd-outputs.service usblogd-outputs.path usblogd-outputs.timer")
                .doesNotContain("MemoryDenyWriteExecute");
        // the outputs' addresses: resolved as root before the daemon starts, again on every change of
        // /etc/usblogd and hourly
        assertThat(Files.readString(unit.resolveSibling("usblogd-outputs.service"))).contains("Type=oneshot",
                "ExecStart=/usr/share/usblogd/bin/usblogd allow-outputs --apply --conf /etc/usblogd",
                "Before=usblogd.service", "ProtectSystem=strict", "NoNewPrivileges=yes")
                .doesNotContain("\nUser=", "\nIPAddressDeny=", "\nMemoryDenyWriteExecute=");
        assertThat(Files.readString(unit.resolveSibling("usblogd-outputs.path"))).contains(
                "PathChanged=/etc/usblogd", "Unit=usblogd-outputs.service", "PartOf=usblogd.service");
        assertThat(Files.readString(unit.resolveSibling("usblogd-outputs.timer"))).contains(
                "OnUnitActiveSec=1h", "Unit=usblogd-outputs.service", "PartOf=usblogd.service");

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
        List<String> args = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
        for (String name : UNITS) {
            Files.copy(unit.resolveSibling(name), etc.resolve(name));
            args.add("/etc/systemd/system/" + name);
        }

        Process verify = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(out).isZero();
        assertThat(out).as("warnings of systemd-analyze verify").isBlank();
    }
}
