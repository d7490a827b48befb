package org.usblogd.framework.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a file's POSIX ACL with getfacl (package acl). The JDK cannot: its AclFileAttributeView is the
 * NFSv4 model, and on Linux no file system offers it.
 */
public final class Getfacl {
    private final String command;

    public Getfacl() {
        this("getfacl");
    }

    Getfacl(String command) {
        this.command = command;
    }

    /** Whether the program is there to run. */
    public boolean installed() {
        try {
            return run("--version").exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's ACL; empty when getfacl is not installed. */
    public Optional<PosixAcl> read(Path file) throws IOException {
        Result r;
        try {
            r = run("--omit-header", "--absolute-names", "--", file.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (r.exit() != 0) {
            throw new IOException(r.out().strip());
        }
        try {
            return Optional.of(PosixAcl.parse(r.out()));
        } catch (IllegalArgumentException e) {
            throw new IOException(command + " printed what is not an ACL (" + e.getMessage() + ")");
        }
    }

    private record Result(int exit, String out) {
    }

    private Result run(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = command;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command + " was interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
