package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * Every driver family in the assembled daemon on the real libusb stack: the same twins, emulated by
 * umockdev, found by libusb, their kernel drivers detached while logging and given back on SIGTERM.
 */
class DriverFamiliesOnLibUsbIT {
    @TempDir
    Path tmp;

    @Test
    void everyFamilyLogsItsEmulatedTwinThroughLibusb() throws Exception {
        try (UsbTestbed testbed = new UsbTestbed()) {
            List<DeviceModel> twins = DeviceFamilies.demoModels(1);
            List<EmulatedUsbDevice> plugged = new java.util.ArrayList<>();
            java.util.Map<String, EmulatedUsbDevice> byId = new java.util.HashMap<>();
            for (int i = 0; i < twins.size(); i++) {
                plugged.add(testbed.plug(twins.get(i), 1, i + 1, i + 2));
                byId.putIfAbsent(twins.get(i).info().vidPid(), plugged.get(i));
            }
            EmulatedUsbDevice power = byId.get("2e3c:5558");
            EmulatedUsbDevice usbasp = plugged.get(java.util.stream.IntStream.range(0, twins.size())
                    .filter(i -> "USBasp".equals(twins.get(i).info().product())).findFirst().orElseThrow());
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
                Dist.await("every family logging", 40_000, () -> DeviceFamilies.allLogging(samples));
                Thread.sleep(2_000);
                DeviceFamilies.assertPlausible(samples);
                double rate = DeviceFamilies.powerRate(samples, 2.0);
                System.out.println("power meter through libusb: " + rate + " samples/s per channel");
                assertThat(rate).as("100 samples/s").isBetween(80.0, 120.0);
                assertThat(power.kernelDriver(2)).as("usbhid detached from the meter while logging").isNull();
                assertThat(usbasp.claimedInterfaces()).as("nobody claims the USBasp").isEmpty();
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
            assertThat(byId.get("413d:2107").kernelDriver(1)).as("usbhid back on the TEMPer").isEqualTo("usbhid");
            assertThat(power.kernelDriver(0)).as("cdc_acm back on the meter").isEqualTo("cdc_acm");
            assertThat(byId.get("0403:6001").kernelDriver(0)).as("ftdi_sio back on the adapter").isEqualTo("ftdi_sio");
        }
    }
}
