package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/** The .deb that `mvn package` built, and dpkg to install it on this machine (as root only). */
final class Debian {
    private Debian() {
    }

    /** Skips (loudly) where packages cannot be installed: not root, or no dpkg. */
    static void assumeRootWithDpkg() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean dpkg = Files.isExecutable(Path.of("/usr/bin/dpkg"));
        if (!root || !dpkg) {
            System.err.println("\n*** SKIPPED: installing the .deb needs root and dpkg (root: " + root + ", dpkg: "
                    + dpkg + "); CI runs these tests as root ***\n");
        }
        Assumptions.assumeTrue(root && dpkg, "needs root and dpkg");
    }

    /** The newest .deb in target/ (each build names its own by the snapshot's time stamp). */
    static Path builtPackage() throws IOException {
        Path dir = Path.of(System.getProperty("usblogd.deb"));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".deb"))
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseGet(() -> fail("no .deb in " + dir + ": the package phase builds it"));
        }
    }

    /** The same package with a higher version and one more file: the "second build" an upgrade installs. */
    static Path secondBuild(Path deb, Path work) throws Exception {
        Path tree = work.resolve("tree");
        run("dpkg-deb", "-R", deb.toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        String text = Files.readString(control);
        String version = text.lines().filter(l -> l.startsWith("Version: ")).findFirst().orElseThrow().substring(9);
        Files.writeString(control, text.replace("Version: " + version, "Version: " + version + "+second"));
        Files.writeString(tree.resolve("usr/share/doc/usblogd/SECOND-BUILD"), "the upgrade\n");
        Path second = work.resolve("usblogd-second.deb");
        run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), second.toString());
        return second;
    }

    static void purgeIfInstalled() throws Exception {
        if (status().contains("installed")) {
            run("dpkg", "--purge", "usblogd");
        }
    }

    /** dpkg's status of the package: "install ok installed", "deinstall ok config-files", or "". */
    static String status() throws Exception {
        Result r = exec("dpkg-query", "-W", "-f=${Status}", "usblogd");
        return r.exit() == 0 ? r.out().strip() : "";
    }

    static String version() throws Exception {
        return run("dpkg-query", "-W", "-f=${Version}", "usblogd").strip();
    }

    record Result(int exit, String out) {
    }

    static String run(String... cmd) throws Exception {
        Result r = exec(cmd);
        assertThat(r.exit()).as("%s:%n%s", String.join(" ", cmd), r.out()).isZero();
        return r.out();
    }

    static Result exec(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().remove("LD_PRELOAD"); // dpkg and its scripts run on the real system
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
