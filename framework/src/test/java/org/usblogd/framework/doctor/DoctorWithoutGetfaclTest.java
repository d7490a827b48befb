package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorWithoutGetfaclTest {
    @TempDir
    Path machine;

    @Test
    void aMissingGetfaclIsOneProblemLineWithThePackageToInstall() throws Exception {
        Path sys = Files.createDirectories(machine.resolve("sys/bus/usb/devices"));
        Path dev = Files.createDirectories(machine.resolve("dev/bus/usb"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Doctor doctor = new Doctor(Files.createDirectories(machine.resolve("plugins")), machine.resolve("conf"), "root",
                new Doctor.Paths(sys, dev, machine.resolve("run/udev/control"), machine.resolve("etc/udev/rules.d")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new Getfacl("getfacl-not-installed-here"));

        int problems = doctor.run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(problems).as(out).isEqualTo(1);
        assertThat(out.lines().filter(l -> l.contains("getfacl"))).as(out).containsExactly("  PROBLEM: getfacl is"
                + " missing, so access below is judged from owner, group and mode, not from the ACL entries the udev"
                + " rules grant; the rules' setfacl is missing too. Fix: apt-get install acl");
    }

    @Test
    void withGetfaclInstalledNothingIsSaidAboutIt() throws Exception {
        String missing = new Getfacl().installed() ? null : "getfacl is missing here (package acl)";
        if (missing != null) {
            System.out.println("withGetfaclInstalledNothingIsSaidAboutIt skipped: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        Path sys = Files.createDirectories(machine.resolve("sys/bus/usb/devices"));
        Path dev = Files.createDirectories(machine.resolve("dev/bus/usb"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Doctor doctor = new Doctor(Files.createDirectories(machine.resolve("plugins")), machine.resolve("conf"), "root",
                new Doctor.Paths(sys, dev, machine.resolve("run/udev/control"), machine.resolve("etc/udev/rules.d")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int problems = doctor.run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(problems).as(out).isZero();
        assertThat(out).doesNotContain("getfacl");
    }
}
