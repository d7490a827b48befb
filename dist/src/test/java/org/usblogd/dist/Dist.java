package org.usblogd.dist;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The assembled installation under test, and helpers to drive it as a user would. */
final class Dist {
    private Dist() {
    }

    static Path home() {
        String d = System.getProperty("usblogd.dist");
        if (d == null) {
            fail("system property usblogd.dist is not set: run through Maven (mvn verify)");
        }
        Path home = Path.of(d);
        if (!Files.isExecutable(home.resolve("bin/usblogd"))) {
            fail("no assembled installation at " + home + ": the package phase builds it");
        }
        return home;
    }

    /** Runs a usblogd subcommand to completion and returns its standard output. */
    static String usblogd(Path state, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/usblogd").toString()));
        cmd.addAll(List.of(args));
        cmd.add("--state");
        cmd.add(state.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("usblogd " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            fail("usblogd " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    static List<String> csvRows(String export) {
        return export.lines().skip(1).filter(l -> !l.isBlank()).toList();
    }

    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out after " + millis + " ms waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
