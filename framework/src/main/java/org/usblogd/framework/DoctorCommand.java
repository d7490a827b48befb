package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.usblogd.framework.doctor.Doctor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd doctor}: see {@link Doctor}. */
@Command(name = "doctor", description = { "Show the USB devices seen here, the driver each would get and why, their"
        + " kernel drivers, the permission problems of the daemon's user with the fix, and whether hotplug events"
        + " arrive.", "Exit status 1 when it found a problem." })
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "usblogd",
            description = "the daemon's user; default: ${DEFAULT-VALUE}")
    String user;

    @Option(names = "--plugins", paramLabel = "DIR", description = "the drivers to read; default: plugins/ in the"
            + " installation")
    Path plugins;

    @Override
    public Integer call() {
        try {
            return new Doctor(usblogd.plugins(plugins), usblogd.home.resolve("conf"), user, Doctor.Paths.REAL,
                    usblogd.out).run() == 0 ? 0 : 1;
        } catch (IOException e) {
            usblogd.err.println("usblogd: doctor could not finish: " + e.getMessage());
            return 1;
        }
    }
}
