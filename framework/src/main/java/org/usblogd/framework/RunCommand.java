package org.usblogd.framework;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd run}: the daemon, in the foreground. */
@Command(name = "run", description = { "Run the daemon in the foreground until it is stopped (SIGTERM, Ctrl-C).",
    "One daemon per state directory: a second one started on it says which process holds it and exits with 1.",
    "Exit status: 143 after SIGTERM, 1 when it could not start or the framework stopped by itself." })
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--demo", description = "add simulated devices on the virtual bus, next to the real USB bus"
            + " (from demo/ in the tarball or a build; the package has none)")
    boolean demo;

    @Override
    public Integer call() {
        if (demo && !java.nio.file.Files.isDirectory(usblogd.home.resolve("demo/bundles"))) {
            // the Debian package carries no simulator; the tarball and a build do
            System.err.println("usblogd: this installation (" + usblogd.home + ") has no demo: the simulated devices"
                    + " come with the tarball or a build (dist/target/usblogd), not with the package");
            return 1;
        }
        return new Daemon(usblogd.home, usblogd.stateDirectory(), demo).runUntilStopped();
    }
}
