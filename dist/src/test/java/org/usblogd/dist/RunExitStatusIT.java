package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit status of {@code usblogd run}, which systemd acts on (Restart=on-failure, SuccessExitStatus=143):
 * 143 after SIGTERM, and a failure when the framework stops on its own, so that systemd restarts the daemon.
 */
class RunExitStatusIT {
    @TempDir
    Path tmp;

    @Test
    void aFrameworkThatStopsOnItsOwnEndsRunWithAFailureStatus() throws Exception {
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = tmp.resolve("state");
        // The counter test driver, configured to stop the framework once it is active: nobody sends a signal.
        Files.writeString(home.resolve("conf/org.usblogd.counter.cfg"), "fault = stop-framework\n");
        PluginJars.drop(Files.readAllBytes(PluginJars.counterDriver()), home.resolve("plugins"), "counter-driver.jar");
        Path log = tmp.resolve("daemon.log");
        Process daemon = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = daemon.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = HungPluginIT.read(log);
        assertThat(exited).as("the daemon ended by itself; log:\n%s", output).isTrue();
        assertThat(output).contains("counter test driver: stopping the framework");
        assertThat(daemon.exitValue()).as("exit status; log:\n%s", output).isNotIn(0, 143);
        assertThat(output).as("the store wrote its queue").containsPattern("store closed: (\\d+) samples accepted, \\1 written");
    }

    @Test
    void sigtermEndsRunWithStatus143() throws Exception {
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("daemon.log");
        Process daemon = new ProcessBuilder(Dist.home().resolve("bin/usblogd").toString(), "run", "--state",
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Dist.await("the daemon started", 30_000, HungPluginIT.quietly(
                    () -> !new Samples(state).events("daemon.started").isEmpty()));
        } finally {
            daemon.destroy(); // SIGTERM
        }
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s of SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as("exit status; log:\n%s", HungPluginIT.read(log)).isEqualTo(143);
        assertThat(HungPluginIT.read(log)).contains("usblogd stopped");
    }
}
