package org.usblogd.framework.allow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code systemctl}, run to completion: what it printed (both streams) and its exit status. */
public final class Systemctl {
    private static final long TIMEOUT_S = 30;

    private final String command;

    public Systemctl(String command) {
        this.command = command;
    }

    public record Result(int exit, String out) {
    }

    public Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command + " was interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
