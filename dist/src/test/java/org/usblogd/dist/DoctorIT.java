package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.usblogd.co2mon.twin.Co2MonitorTwin;
import org.usblogd.testing.counter.twin.CounterTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * {@code usblogd doctor} and {@code usblogd udev-rules} of the assembled installation, on an emulated bus:
 * a CO2 monitor the installed co2mon driver takes and a device no driver takes.
 */
class DoctorIT {

    private record Run(int exit, String out) {
    }

    private static Run usblogd(UsbTestbed testbed, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Dist.home().resolve("bin/usblogd").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(testbed.environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void doctorExplainsEachDeviceAndGivesTheExactFixForAPermissionProblem() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            EmulatedUsbDevice monitor = testbed.plug(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                    TimeUnit.MILLISECONDS.toNanos(100), true, 42), 1, 4, 9);
            testbed.plug(new CounterTwin("SIM0001", TimeUnit.MILLISECONDS.toNanos(20)), 1, 5, 10);
            Path node = testbed.root().resolve(monitor.node().substring(1));
            Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-r--r--"));

            Run denied = usblogd(testbed, "doctor", "--user", "nobody");

            System.out.println(denied.out());
            assertThat(denied.exit()).as(denied.out()).isEqualTo(1);
            assertThat(denied.out()).contains(
                    "plugins in " + Dist.home().resolve("plugins"),
                    "co2mon: 04d9:a052 (score 100)",
                    "1-4  04d9:a052",
                    "interface 0: class 03/00/00, kernel driver usbhid",
                    "driver: co2mon (score 100: 04d9:a052)",
                    "PROBLEM: /dev/bus/usb/001/009: nobody cannot open it for reading and writing (rw-r--r-- root:root)",
                    "1-5  1209:0010",
                    "driver: none; no row of the installed plugins matches",
                    "1 problem(s) found");
            assertThat(denied.out()).containsAnyOf("Fix: the rules grant the group usblogd",
                    "Fix: without udevd nothing sets permissions on plug-in");
            assertThat(denied.out()).contains(Files.exists(Path.of("/run/udev/control")) ? "hotplug: udevd runs"
                    : "hotplug: no udevd");

            Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-rw-rw-"));
            Run allowed = usblogd(testbed, "doctor", "--user", "nobody");

            assertThat(allowed.exit()).as(allowed.out()).isZero();
            assertThat(allowed.out()).contains("access: nobody can open it (rw-rw-rw- root:root)", "no problems found");
        }
    }

    @Test
    void doctorReadsTheNodesAclAsTheKernelAppliesItAndGivesAnAclFixWithoutUdevd() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            EmulatedUsbDevice monitor = testbed.plug(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                    TimeUnit.MILLISECONDS.toNanos(100), true, 42), 1, 4, 9);
            Path node = testbed.root().resolve(monitor.node().substring(1));
            Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-r--r--"));
            boolean udevd = Files.exists(Path.of("/run/udev/control"));

            Run denied = usblogd(testbed, "doctor", "--user", "nobody");

            assertThat(denied.exit()).as(denied.out()).isEqualTo(1);
            if (!udevd) {
                assertThat(denied.out()).as(denied.out()).contains("Fix: without udevd nothing sets permissions on"
                        + " plug-in; until it runs: setfacl -m g:usblogd:rw /dev/bus/usb/001/009")
                        .doesNotContain("chmod");
            }

            // nobody's group is nogroup: the entry the rules would write for it, owner, group and mode unchanged
            setfacl("-m", "g:nogroup:rw", node);
            Run allowed = usblogd(testbed, "doctor", "--user", "nobody");

            System.out.println(allowed.out());
            assertThat(allowed.exit()).as(allowed.out()).isZero();
            assertThat(allowed.out()).contains("access: nobody can open it through the ACL entry group:nogroup:rw-"
                    + " (rw-rw-r-- root:root, ACL group::r-- group:nogroup:rw- mask::rw-)", "no problems found");

            setfacl("-m", "m::r", node);
            Run masked = usblogd(testbed, "doctor", "--user", "nobody");

            assertThat(masked.exit()).as(masked.out()).isEqualTo(1);
            assertThat(masked.out()).contains("PROBLEM: /dev/bus/usb/001/009: nobody cannot open it for reading and"
                    + " writing (rw-r--r-- root:root, ACL group::r-- group:nogroup:rw- mask::r--)");
        }
    }

    private static void setfacl(String option, String entry, Path file) throws Exception {
        Process p = new ProcessBuilder("setfacl", option, entry, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("setfacl " + option + " " + entry + " " + file + ": " + out).isZero();
    }

    @Test
    void doctorNamesAMissingDaemonUser() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            Run r = usblogd(testbed, "doctor", "--user", "no-such-user-here");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("PROBLEM: no user 'no-such-user-here' on this system");
        }
    }

    @Test
    void udevRulesCoverEveryInstalledDriverAndAPluginDroppedLater() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            Run installed = usblogd(testbed, "udev-rules");
            assertThat(installed.exit()).isZero();
            assertThat(installed.out()).contains(
                    "ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"");

            Path plugins = Files.createTempDirectory("plugins");
            try (var shipped = Files.list(Dist.home().resolve("plugins"))) {
                for (Path jar : shipped.toList()) {
                    Files.copy(jar, plugins.resolve(jar.getFileName()));
                }
            }
            Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), plugins.resolve("counter.jar"));
            Run withCounter = usblogd(testbed, "udev-rules", "--plugins", plugins.toString(), "--group", "plugdev");
            assertThat(withCounter.out()).contains(
                    "ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\", RUN+=\"/usr/bin/setfacl -m g:plugdev:rw $devnode\"",
                    "ATTR{idVendor}==\"1209\", ATTR{idProduct}==\"0010\", RUN+=\"/usr/bin/setfacl -m g:plugdev:rw $devnode\"");
        }
    }
}
