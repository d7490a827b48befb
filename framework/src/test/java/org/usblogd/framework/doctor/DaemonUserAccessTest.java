package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.driver.DeviceMatch;

/**
 * The doctor's access check on a real file whose ACL the rule of {@code usblogd udev-rules} changed, run with
 * the rule's own setfacl command. The group is plugdev rather than usblogd: every Debian system has it
 * (base-passwd), while the usblogd group exists only where the package is installed, and the rules' group
 * is a parameter of {@code udev-rules} anyway.
 */
class DaemonUserAccessTest {
    private static final String GROUP = "plugdev";
    private static final Pattern RUN = Pattern.compile("RUN\\+=\"([^\"]+)\"");

    @TempDir
    Path dir;
    private Path node;
    private final DaemonUser daemon = new DaemonUser("usblogd-doctor-test", Set.of("usblogd-doctor-test", GROUP));

    @BeforeEach
    void deviceNodeOfRootWhoseGroupAndOthersMayOnlyRead() throws IOException {
        String missing = Files.isExecutable(Path.of(UdevRules.SETFACL)) ? null
                : UdevRules.SETFACL + " is missing (package acl): the ACL of a real file cannot be set here";
        if (missing != null) {
            System.out.println("DaemonUserAccessTest skipped: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        node = Files.createFile(dir.resolve("009"));
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void withoutTheRuleTheDaemonUserCannotOpenTheNode() throws Exception {
        DaemonUser.Verdict v = daemon.access(node, new Getfacl());

        assertThat(v.ok()).as(v.detail()).isFalse();
    }

    @Test
    void theRulesAclEntryForItsGroupLetsTheDaemonUserOpenTheNodeWhoseModeSaysNo() throws Exception {
        applyRule();

        DaemonUser.Verdict v = daemon.access(node, new Getfacl());

        assertThat(v.ok()).as(v.detail()).isTrue();
        assertThat(v.detail()).contains("group:" + GROUP + ":rw-");
        assertThat(Files.getOwner(node).getName()).isEqualTo("root");
    }

    @Test
    void aUserOutsideTheRulesGroupStillCannotOpenTheNode() throws Exception {
        applyRule();

        DaemonUser.Verdict v = new DaemonUser("usblogd-doctor-test", Set.of("usblogd-doctor-test")).access(node, new Getfacl());

        assertThat(v.ok()).as(v.detail()).isFalse();
    }

    @Test
    void aMaskWithoutWriteTakesTheEntrysAccessAwayAsTheKernelDoes() throws Exception {
        applyRule();
        // chmod on a file with an ACL sets the mask from the group bits
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-r--r--"));

        DaemonUser.Verdict v = daemon.access(node, new Getfacl());

        assertThat(v.ok()).as(v.detail()).isFalse();
        assertThat(v.detail()).contains("mask::r--");
    }

    @Test
    void withoutGetfaclTheModeAloneDecidesAndTheEntryIsNotSeen() throws Exception {
        applyRule();

        DaemonUser.Verdict v = daemon.access(node, new Getfacl("getfacl-not-installed-here"));

        assertThat(v.ok()).as(v.detail()).isFalse();
        assertThat(v.detail()).doesNotContain("ACL");
    }

    @Test
    void theVerdictIsWhatTheKernelDecidesForAProcessOfThatUserAndItsGroups() throws Exception {
        String missing = Files.isExecutable(Path.of("/usr/bin/setpriv")) ? null
                : "/usr/bin/setpriv is missing (package util-linux): no process can run as nobody here";
        if (missing != null) {
            System.out.println("theVerdictIsWhatTheKernelDecidesForAProcessOfThatUserAndItsGroups skipped: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        DaemonUser nobody = new DaemonUser("nobody", Set.of("nogroup", GROUP));
        List<String[]> steps = List.of(new String[] {}, new String[] {"-m", "g:" + GROUP + ":rw"},
                new String[] {"-m", "m::r"}, new String[] {"-m", "m::rw"}, new String[] {"-m", "u:nobody:r"},
                new String[] {"-b"}, new String[] {"-m", "g:nogroup:r"});
        for (String[] step : steps) {
            if (step.length > 0) {
                setfacl(step);
            }

            DaemonUser.Verdict v = nobody.access(node, new Getfacl());

            assertThat(v.ok()).as("setfacl " + String.join(" ", step) + ": " + v.detail())
                    .isEqualTo(opensForReadingAndWriting("nobody", "nogroup", GROUP));
        }
    }

    /** Whether a process of the user with the group and the supplementary groups opens the node read-write. */
    private boolean opensForReadingAndWriting(String user, String group, String groups) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + user, "--regid=" + group, "--groups=" + groups,
                "--", "/bin/sh", "-c", "exec 3<>\"$1\"", "sh", node.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    private void setfacl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(UdevRules.SETFACL));
        cmd.addAll(List.of(args));
        cmd.add(node.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
    }

    /** The command of the rule for the group, as udev runs it with $devnode set to the node. */
    private void applyRule() throws Exception {
        String rule = UdevRules.rules(DeviceMatch.vidPid("co2mon", 0x04d9, 0xa052), GROUP).get(0);
        Matcher m = RUN.matcher(rule);
        assertThat(m.find()).as(rule).isTrue();
        String[] cmd = m.group(1).split(" ");
        assertThat(cmd[0]).isEqualTo(UdevRules.SETFACL);
        assertThat(cmd[cmd.length - 1]).isEqualTo("$devnode");
        setfacl(Arrays.copyOfRange(cmd, 1, cmd.length - 1));
    }
}
