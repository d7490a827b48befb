package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb as Debian's lintian judges it: no error, and the documents a package owes its users
 * (copyright, changelog, the man page of usblogd(8) made from the help the command prints).
 */
class LintianIT {
    @TempDir
    Path tmp;

    @Test
    void lintianFindsNoErrorAndNoMissingDocument() throws Exception {
        boolean lintian = Files.isExecutable(Path.of("/usr/bin/lintian"));
        if (!lintian) {
            System.err.println("\n*** SKIPPED: lintian is not installed (apt-get install lintian); CI installs it ***\n");
        }
        Assumptions.assumeTrue(lintian, "needs lintian");
        Path deb = Debian.builtPackage();

        Debian.Result r = Debian.exec("lintian", "--allow-root", "--info", deb.toString());
        System.out.println(r.out());

        List<String> tags = r.out().lines().toList();
        assertThat(tags).as("lintian errors").noneMatch(l -> l.startsWith("E:"));
        assertThat(tags).as("documents").noneMatch(l -> l.contains("no-copyright-file") || l.contains("no-changelog")
                || l.contains("no-manual-page"));
        assertThat(tags).as("the unit through deb-systemd-helper").noneMatch(l -> l.contains("maintainer-script-calls-systemctl"));
    }

    @Test
    void theManPageSaysWhatUsblogdHelpPrintsAndTheChangelogNamesThisVersion() throws Exception {
        Path deb = Debian.builtPackage();
        Path tree = tmp.resolve("tree");
        Debian.run("dpkg-deb", "-x", deb.toString(), tree.toString());

        String man = gunzip(tree.resolve("usr/share/man/man8/usblogd.8.gz")).replace("\\-", "-"); // roff's minus
        assertThat(man).contains(".TH USBLOGD \"8\"", "USB data logger: runs the daemon, or reads what it stored.");
        String help = Debian.run(Dist.home().resolve("bin/usblogd").toString(), "--help");
        List<String> commands = help.lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                .takeWhile(l -> !l.isBlank()).filter(l -> l.startsWith("  ") && !l.startsWith("    "))
                .map(l -> l.strip().split("\\s+")[0]).toList();
        assertThat(commands).contains("run", "export", "devices", "doctor");
        for (String command : commands) {
            assertThat(man).as("command %s", command).contains(command);
        }

        String version = Debian.run("dpkg-deb", "-f", deb.toString(), "Version").strip();
        assertThat(gunzip(tree.resolve("usr/share/doc/usblogd/changelog.gz")))
                .startsWith("usblogd (" + version + ") ");
        assertThat(tree.resolve("usr/share/doc/usblogd/copyright")).content()
                .startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/");
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
