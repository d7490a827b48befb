package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.co2mon.twin.Co2MonitorTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The assembled daemon on the real libusb stack: a CO2 monitor emulated by umockdev (the same twin the
 * virtual bus serves) is found by libusb, its kernel driver detached, its encrypted reports decoded by the
 * co2mon plugin and stored; SIGTERM gives the interface back to usbhid.
 */
class DaemonOnLibUsbIT {
    @TempDir
    Path tmp;

    @Test
    void theCo2DriverStoresSamplesFromAnEmulatedMonitorThroughLibusb() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            EmulatedUsbDevice monitor = testbed.plug(new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED,
                    TimeUnit.MILLISECONDS.toNanos(100), true, 42), 1, 4, 9);
            assertThat(monitor.kernelDriver(0)).isEqualTo("usbhid");
            Path state = tmp.resolve("state");
            File log = tmp.resolve("daemon.log").toFile();
            ProcessBuilder pb = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--state",
                    state.toString()).redirectErrorStream(true).redirectOutput(log);
            pb.environment().putAll(testbed.environment());
            Process daemon = pb.start();
            try {
                long started = System.currentTimeMillis();
                try {
                    Dist.await("CO2 samples from the emulated monitor in the export", 20_000, () -> {
                        try {
                            return Dist.csvRows(Dist.usblogd(state, "export", "--channel", "co2")).size() >= 3;
                        } catch (Exception | AssertionError e) {
                            return false;
                        }
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log.toPath()), e);
                }
                System.out.println("first CO2 samples through libusb exported after "
                        + (System.currentTimeMillis() - started) + " ms");
                assertThat(Dist.csvRows(Dist.usblogd(state, "export", "--channel", "co2"))).allSatisfy(
                        row -> assertThat(row).matches(".*,04d9:a052@1-4,co2,[0-9.E]+,ppm"));
                assertThat(Dist.usblogd(state, "devices")).contains("04d9:a052@1-4", "co2mon", "libusb");
                assertThat(monitor.kernelDriver(0)).as("usbhid detached while logging").isNull();
            } finally {
                daemon.destroy();
            }
            String output = "log:\n" + Files.readString(log.toPath());
            assertThat(daemon.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM; %s", output).isTrue();
            assertThat(daemon.exitValue()).as(output).isIn(0, 143);
            assertThat(monitor.claimedInterfaces()).as(output).isEmpty();
            assertThat(monitor.kernelDriver(0)).as("usbhid re-attached on exit; %s", output).isEqualTo("usbhid");
        }
    }
}
