package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every driver family in the assembled daemon on the virtual bus (--demo plugs a twin of each), and
 * per-device settings in conf/ applied while it runs.
 */
class DriverFamiliesIT {
    @TempDir
    Path tmp;

    @Test
    void everyFamilyLogsItsTwinAndDeviceSettingsApplyWhileRunning() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Samples samples = new Samples(state);
        try {
            Dist.await("every family logging", 30_000, () -> DeviceFamilies.allLogging(samples));
            Thread.sleep(2_000);
            DeviceFamilies.assertPlausible(samples);
            double rate = DeviceFamilies.powerRate(samples, 2.0);
            System.out.println("power meter on the virtual bus: " + rate + " samples/s per channel");
            assertThat(rate).as("100 samples/s").isBetween(80.0, 120.0);

            String sound = DeviceFamilies.key(samples, "16c0:05dc");
            String temperGold = DeviceFamilies.key(samples, "413d:2107");
            String pico = DeviceFamilies.key(samples, "2e8a:000a");
            String devices = Dist.usblogd(state, "devices");
            assertThat(devices.lines().filter(l -> l.startsWith("16c0:05dc@") && !l.startsWith(sound + " "))
                    .findFirst().orElseThrow()).as("the USBasp on the sound meter's V-USB id").contains(" - ")
                    .endsWith("no installed driver takes 16c0:05dc (USBasp): no match row fits");
            assertThat(devices.lines().filter(l -> l.startsWith(sound + " ")).findFirst().orElseThrow())
                    .contains("wensn").containsPattern("wensn: score 110: 16c0:05dc (manufacturer|product) '");

            // the sound meter polled five times a second into a channel of the user's name
            Files.writeString(home.resolve("conf/org.usblogd.device-sound.cfg"),
                    "device = 16c0:05dc\npoll.ms = 200\nchannel.level = noise\n");
            Dist.await("renamed channel", 10_000, () -> samples.times(sound, "noise").size() >= 3);
            Thread.sleep(3_000);
            java.util.List<Long> noise = samples.times(sound, "noise");
            long last = noise.get(noise.size() - 1);
            long inTwoSeconds = noise.stream().filter(t -> t > last - 2_000_000).count();
            assertThat(inTwoSeconds).as("polls in 2 s at poll.ms = 200").isBetween(8L, 12L);

            // one thermometer switched off by its ID, and on again by deleting the file
            Path off = home.resolve("conf/org.usblogd.device-gold.cfg");
            Files.writeString(off, "device = " + temperGold + "\nenabled = false\n");
            Dist.await("disabled", 10_000, () -> !samples.events(temperGold, "device.disabled").isEmpty());
            int whenDisabled = samples.times(temperGold, "temperature").size();
            assertThat(Dist.usblogd(state, "devices")).contains("disabled by configuration (enabled = false)");
            Thread.sleep(3_000);
            assertThat(samples.times(temperGold, "temperature")).hasSize(whenDisabled);
            Files.delete(off);
            Dist.await("enabled again", 15_000,
                    () -> samples.times(temperGold, "temperature").size() > whenDisabled);

            // the Pico's 300-character debug lines were cut off and counted
            assertThat(samples.events(pico, "serial.line-cut")).isNotEmpty();
            // a line driver asked for 1200 baud is refused before it touches the board
            Files.writeString(home.resolve("conf/org.usblogd.serial-touch.cfg"),
                    "match.vid = 2e8a\nmatch.pid = 000a\nbaud = 1200\nformat = keyvalue\nchannel.T.unit = °C\n");
            Dist.await("refused in one line", 10_000, () -> logHas(log, "baud = 1200 is refused"));
            int picoBefore = samples.times(pico, "T").size();
            Dist.await("the Pico still logs (no bootloader)", 5_000,
                    () -> samples.times(pico, "T").size() > picoBefore + 3);
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isIn(0, 143);
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
