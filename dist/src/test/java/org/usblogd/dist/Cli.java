package org.usblogd.dist;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The installed {@code bin/usblogd} run to completion, with its exit status and both output streams kept apart. */
final class Cli {
    private static final long TIMEOUT_S = 60;

    private Cli() {
    }

    record Result(int exit, String out, String err) {
        /** The non-blank lines a user sees on the terminal: both streams. */
        List<String> lines() {
            List<String> all = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
            all.addAll(err.lines().filter(l -> !l.isBlank()).toList());
            return all;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    static Result usblogd(String... args) throws Exception {
        return run(Dist.home(), List.of(), Map.of(), args);
    }

    /**
     * Runs {@code home}'s bin/usblogd, behind {@code prefix} (e.g. setpriv to run it as another user), with
     * {@code env} added to this environment.
     */
    static Result run(Path home, List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(home.resolve("bin/usblogd").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("USBLOGD_STATE");
        // the launcher's class archive goes to the build's directory, not the user's own cache
        pb.environment().put("XDG_CACHE_HOME", Path.of("target/cli-cache").toAbsolutePath().toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("usblogd-cli", ".out");
        Path err = Files.createTempFile("usblogd-cli", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("usblogd " + String.join(" ", args) + " did not finish within " + TIMEOUT_S + " s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
