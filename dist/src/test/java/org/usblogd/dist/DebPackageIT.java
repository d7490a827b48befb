package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an administrator meets it, installed on this machine with dpkg (root only; CI runs
 * it): files, user and permissions after install; an upgrade to a second build that keeps data, changed
 * configuration and added plugins; remove keeps data; purge deletes it.
 */
class DebPackageIT {
    private static final Path STATE = Path.of("/var/lib/usblogd");
    private static final Path HOME = Path.of("/usr/share/usblogd");
    private static final Path CONF = Path.of("/etc/usblogd");
    private static final Path UNIT = Path.of("/lib/systemd/system/usblogd.service");
    private static final Path WANTS = Path.of("/etc/systemd/system/multi-user.target.wants/usblogd.service");

    @TempDir
    Path tmp;

    @BeforeEach
    void clean() throws Exception {
        Debian.assumeRootWithDpkg();
        Debian.purgeIfInstalled();
    }

    @AfterEach
    void purge() throws Exception {
        Debian.purgeIfInstalled();
    }

    @Test
    void installUpgradeRemovePurge() throws Exception {
        Path deb = Debian.builtPackage();
        Debian.run("dpkg", "-i", deb.toString());

        assertThat(Debian.status()).isEqualTo("install ok installed");
        assertThat(Files.isExecutable(HOME.resolve("bin/usblogd"))).isTrue();
        assertThat(Files.readSymbolicLink(Path.of("/usr/bin/usblogd"))).isEqualTo(HOME.resolve("bin/usblogd"));
        assertThat(Debian.run("/usr/bin/usblogd", "help")).contains("Usage: usblogd");
        assertThat(HOME.resolve("plugins")).isDirectoryContaining("glob:**/co2mon-*.jar");
        try (var files = Files.walk(HOME)) {
            assertThat(files.map(Path::toString)).as("no simulator in the package")
                    .noneMatch(f -> f.contains("/sim-") || f.contains("-twin-") || f.contains("/demo"));
        }
        assertThat(Files.readSymbolicLink(HOME.resolve("conf"))).isEqualTo(CONF);
        assertThat(CONF.resolve("org.usblogd.store.cfg")).isRegularFile();
        assertThat(Debian.run("dpkg-query", "-W", "-f=${Conffiles}", "usblogd"))
                .contains("/etc/usblogd/org.usblogd.store.cfg", "/etc/usblogd/org.usblogd.usb.cfg");
        assertThat(Path.of("/lib/systemd/system/usblogd.service")).content().contains("Type=notify", "User=usblogd");
        // pulled in by the daemon's unit (Wants=), so not enabled on their own
        assertThat(Path.of("/lib/systemd/system/usblogd-outputs.service")).content().contains(
                "allow-outputs --apply --conf /etc/usblogd");
        assertThat(Path.of("/lib/systemd/system/usblogd-outputs.path")).isRegularFile();
        assertThat(Path.of("/lib/systemd/system/usblogd-outputs.timer")).isRegularFile();
        // enabled whether systemd runs or not (here, as in a chroot that builds an image, it does not)
        assertThat(Files.readSymbolicLink(WANTS)).as("the unit enabled").isEqualTo(UNIT);
        assertThat(Path.of("/lib/udev/rules.d/70-usblogd.rules")).content().contains(
                "ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"")
                .as("devices keep their owner, group and mode").doesNotContain("GROUP=", "MODE=", "OWNER=");
        assertThat(Path.of("/usr/bin/setfacl")).as("the rules' setfacl, from the acl package").isExecutable();
        theRuleGrantsUsblogdAndEveryoneKeepsTheirAccess(Files.readString(Path.of("/lib/udev/rules.d/70-usblogd.rules")));

        String passwd = Debian.run("getent", "passwd", "usblogd").strip();
        String[] user = passwd.split(":");
        assertThat(Integer.parseInt(user[2])).as("a system uid: %s", passwd).isLessThan(1000);
        assertThat(user[5]).isEqualTo("/var/lib/usblogd");
        assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(Debian.run("getent", "group", "usblogd")).startsWith("usblogd:");
        assertOwnedWithMode(STATE, "usblogd", "usblogd", "rwxr-x---");
        // a plugin is code: only root may add one or change the configuration
        assertOwnedWithMode(HOME.resolve("plugins"), "root", "root", "rwxr-xr-x");
        assertOwnedWithMode(CONF, "root", "root", "rwxr-xr-x");
        assertOwnedWithMode(CONF.resolve("org.usblogd.usb.cfg"), "root", "root", "rw-r--r--");

        // what an administrator and the daemon leave behind before an upgrade
        Files.writeString(STATE.resolve("data-marker"), "samples\n");
        Files.writeString(CONF.resolve("org.usblogd.store.cfg"), "flush.interval.ms = 500\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path dropped = HOME.resolve("plugins/counter-driver.jar");
        Files.copy(Path.of(System.getProperty("usblogd.counterDriver")), dropped);
        String before = Debian.version();

        Debian.run("dpkg", "--force-confold", "-i", Debian.secondBuild(deb, tmp).toString());

        assertThat(Debian.version()).isEqualTo(before + "+second");
        assertThat(Path.of("/usr/share/doc/usblogd/SECOND-BUILD")).exists();
        assertThat(STATE.resolve("data-marker")).hasContent("samples");
        assertThat(CONF.resolve("org.usblogd.store.cfg")).content().endsWith("flush.interval.ms = 500\n");
        assertThat(dropped).exists();
        assertOwnedWithMode(STATE, "usblogd", "usblogd", "rwxr-x---");
        assertThat(Files.readSymbolicLink(WANTS)).as("still enabled after the upgrade").isEqualTo(UNIT);

        // an administrator's disable outlasts an upgrade
        Debian.run("systemctl", "disable", "usblogd.service");
        assertThat(WANTS).doesNotExist();
        Path third = Files.createDirectory(tmp.resolve("third"));
        Debian.run("dpkg", "--force-confold", "-i", Debian.secondBuild(deb, third).toString());
        assertThat(WANTS).as("a disabled unit stays disabled through an upgrade").doesNotExist();
        Debian.run("systemctl", "enable", "usblogd.service");

        Debian.run("dpkg", "--remove", "usblogd");

        assertThat(Debian.status()).isEqualTo("deinstall ok config-files");
        assertThat(HOME.resolve("bin/usblogd")).doesNotExist();
        assertThat(Path.of("/usr/bin/usblogd")).doesNotExist();
        assertThat(STATE.resolve("data-marker")).as("remove keeps data").hasContent("samples");
        assertThat(CONF.resolve("org.usblogd.store.cfg")).as("remove keeps configuration").exists();

        Debian.run("dpkg", "--purge", "usblogd");

        assertThat(Debian.status()).isEmpty();
        assertThat(STATE).as("purge deletes the data").doesNotExist();
        assertThat(CONF).doesNotExist();
        assertThat(HOME).as("purge deletes plugins added by hand too").doesNotExist();
        assertThat(WANTS).as("purge leaves no enablement behind").doesNotExist();
        assertThat(Path.of("/etc/systemd/system/usblogd.service")).as("nor a mask").doesNotExist();
        assertThat(Debian.exec("getent", "passwd", "usblogd").exit())
                .as("the system user stays, so that its uid is never reused for someone else").isZero();
    }

    /**
     * The installed rule's program run on a node as other rules left it: group plugdev, mode 0660, and an ACL
     * entry for the seat's user (what uaccess adds; here nobody). udev is not needed for that: it runs the
     * same command with $devnode replaced.
     */
    private void theRuleGrantsUsblogdAndEveryoneKeepsTheirAccess(String rules) throws Exception {
        String rule = rules.lines().filter(l -> l.startsWith("ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\""))
                .findFirst().orElseThrow();
        String command = rule.substring(rule.indexOf("RUN+=\"") + 6, rule.lastIndexOf('"'));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path node = Files.createFile(tmp.resolve("001-009"));
        Debian.run("chown", "root:plugdev", node.toString());
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-rw----"));
        Debian.run("setfacl", "-m", "u:nobody:rw", node.toString());
        assertThat(opensForReadingAndWriting(node, "--groups=usblogd", "--reuid=daemon")).as("before the rule").isFalse();

        Debian.run("sh", "-c", command.replace("$devnode", node.toString()));

        assertThat(opensForReadingAndWriting(node, "--groups=usblogd", "--reuid=daemon")).as("usblogd's group").isTrue();
        assertThat(opensForReadingAndWriting(node, "--groups=plugdev", "--reuid=daemon")).as("plugdev").isTrue();
        assertThat(opensForReadingAndWriting(node, "--clear-groups", "--reuid=nobody")).as("the seat's user").isTrue();
        assertThat(opensForReadingAndWriting(node, "--clear-groups", "--reuid=daemon")).as("anyone else").isFalse();
        assertOwnedWithMode(node, "root", "plugdev", "rw-rw----");
    }

    private static boolean opensForReadingAndWriting(Path node, String groups, String user) throws Exception {
        return Debian.exec("setpriv", user, "--regid=nogroup", groups, "--", "sh", "-c", ": <> " + node).exit() == 0;
    }

    static void assertOwnedWithMode(Path p, String owner, String group, String mode) throws Exception {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(a.owner().getName()).as("owner of %s", p).isEqualTo(owner);
        assertThat(a.group().getName()).as("group of %s", p).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(a.permissions())).as("mode of %s", p).isEqualTo(mode);
        assertThat(a.permissions()).as("%s writable by others", p).doesNotContain(PosixFilePermission.OTHERS_WRITE);
    }
}
