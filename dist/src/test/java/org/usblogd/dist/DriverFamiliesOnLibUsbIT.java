package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.sim.twin.Ch340SerialTwin;
import org.usblogd.sim.twin.Co2MonitorTwin;
import org.usblogd.sim.twin.Cp210xSerialTwin;
import org.usblogd.sim.twin.FtdiSerialTwin;
import org.usblogd.sim.twin.PicoSerialTwin;
import org.usblogd.sim.twin.DiySensorTwin;
import org.usblogd.sim.twin.FnirsiTwin;
import org.usblogd.sim.twin.ScaleTwin;
import org.usblogd.sim.twin.TemperTwin;
import org.usblogd.sim.twin.UsbtmcTwin;
import org.usblogd.sim.twin.VUsbProgrammerTwin;
import org.usblogd.sim.twin.WensnTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * Every driver family in the assembled daemon on the real libusb stack: the same twins, emulated by
 * umockdev, found by libusb, their kernel drivers detached while logging and given back on SIGTERM.
 */
class DriverFamiliesOnLibUsbIT {
    private static final DeviceFamilies.Keys KEYS = new DeviceFamilies.Keys("04d9:a052@1-1", "413d:2107@1-2",
            "1a86:e025@1-3", "0c45:7401@1-4", "16c0:05dc@1-5", "0922:8003@1-7", "0483:003a@1-8", "1209:c0de:WX-0001", "2e8a:000a:E6614C311B7A2F2B",
            "0403:6001:A50285BI", "1a86:7523@1-12", "10c4:ea60:0001", "1ab1:09c4:DM3A000001", "2a8d:1301:MY12345678");

    @TempDir
    Path tmp;

    @Test
    void everyFamilyLogsItsEmulatedTwinThroughLibusb() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            List<DeviceModel> twins = List.of(
                    new Co2MonitorTwin(Co2MonitorTwin.Firmware.OLD_ENCRYPTED, TimeUnit.MILLISECONDS.toNanos(100), true, 1),
                    TemperTwin.gold(2), TemperTwin.hum(3), TemperTwin.twoProbes(4), new WensnTwin(5, false),
                    new VUsbProgrammerTwin(), new ScaleTwin(TimeUnit.MILLISECONDS.toNanos(100)),
                    new FnirsiTwin(FnirsiTwin.Model.FNB48, 6),
                    new DiySensorTwin(TimeUnit.MILLISECONDS.toNanos(100), 7),
                    new PicoSerialTwin(TimeUnit.MILLISECONDS.toNanos(100), 8),
                    new FtdiSerialTwin(TimeUnit.MILLISECONDS.toNanos(200), 9),
                    new Ch340SerialTwin(TimeUnit.MILLISECONDS.toNanos(200), 10),
                    new Cp210xSerialTwin(TimeUnit.MILLISECONDS.toNanos(200), 11),
                    new UsbtmcTwin(UsbtmcTwin.Style.RIGOL, 12), new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 13));
            List<EmulatedUsbDevice> plugged = new java.util.ArrayList<>();
            for (int i = 0; i < twins.size(); i++) {
                plugged.add(testbed.plug(twins.get(i), 1, i + 1, i + 2));
            }
            Path state = tmp.resolve("state");
            Path log = tmp.resolve("daemon.log");
            // the generic HID logger reads the DIY sensor as the demo's configuration tells it
            Path home = tmp.resolve("usblogd");
            PluginJars.copyOfInstallation(home);
            try (var demoConf = Files.list(home.resolve("demo/conf"))) {
                for (Path cfg : demoConf.toList()) {
                    Files.copy(cfg, home.resolve("conf").resolve(cfg.getFileName()));
                }
            }
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state",
                    state.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(testbed.environment());
            Process daemon = pb.start();
            Samples samples = new Samples(state);
            try {
                Dist.await("every family logging", 40_000, () -> DeviceFamilies.allLogging(samples, KEYS));
                Thread.sleep(2_000);
                DeviceFamilies.assertPlausible(samples, KEYS);
                double rate = DeviceFamilies.powerRate(samples, KEYS, 2.0);
                System.out.println("power meter through libusb: " + rate + " samples/s per channel");
                assertThat(rate).as("100 samples/s").isBetween(80.0, 120.0);
                assertThat(plugged.get(7).kernelDriver(2)).as("usbhid detached from the meter while logging").isNull();
                assertThat(plugged.get(5).kernelDriver(0)).as("nobody claims the USBasp").isNull();
            } catch (AssertionError e) {
                System.out.println(Files.readString(log));
                System.out.println(Dist.usblogd(state, "devices"));
                throw e;
            } finally {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            for (EmulatedUsbDevice d : plugged) {
                assertThat(d.claimedInterfaces()).as("%s released", d).isEmpty();
            }
            assertThat(plugged.get(1).kernelDriver(1)).as("usbhid back on the TEMPer").isEqualTo("usbhid");
            assertThat(plugged.get(7).kernelDriver(0)).as("cdc_acm back on the meter").isEqualTo("cdc_acm");
            assertThat(plugged.get(10).kernelDriver(0)).as("ftdi_sio back on the adapter").isEqualTo("ftdi_sio");
        }
    }
}
