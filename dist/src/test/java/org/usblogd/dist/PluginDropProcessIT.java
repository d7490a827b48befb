package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled daemon running as a process: a driver jar copied into its plugins/ binds its device. */
class PluginDropProcessIT {
    @TempDir
    Path tmp;

    @Test
    void aDriverDroppedIntoPluginsOfTheRunningDaemonBindsItsDevice() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"), "count = 1\nperiod.ms = 50\n");
        File log = tmp.resolve("daemon.log").toFile();
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dist.await("the daemon logging the CO2 twin", 20_000, () -> rows(state, "co2") > 0);
            assertThat(rows(state, "sequence")).as("no driver for the counter twin yet").isZero();

            PluginJars.drop(Files.readAllBytes(PluginJars.counterDriver()), home.resolve("plugins"),
                    "counter-driver.jar");

            long dropped = System.currentTimeMillis();
            Dist.await("samples from the dropped driver", 20_000, () -> rows(state, "sequence") >= 5);
            System.out.println("dropped driver logging after " + (System.currentTimeMillis() - dropped) + " ms");
            assertThat(Dist.usblogd(state, "devices")).contains("1209:0010:SIM0001", "counter");
        } finally {
            daemon.destroy();
        }
        assertThat(daemon.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log.toPath())).contains("binding driver counter");
    }

    private static int rows(Path state, String channel) {
        try {
            return Dist.csvRows(Dist.usblogd(state, "export", "--channel", channel)).size();
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }
}
