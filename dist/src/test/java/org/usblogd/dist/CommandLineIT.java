package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it: help on every command, the version, options on either side of the
 * command, and a usage error as one line with a hint, exit status 2.
 */
class CommandLineIT {
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "run", List.of("--demo", "--state"),
            "status", List.of("--format", "--state"),
            "export", List.of("--device", "--channel", "--from", "--to", "--format", "--tier", "--state"),
            "devices", List.of("--channels", "--format", "--state"),
            "events", List.of("--device", "--kind", "--since", "--follow", "--format", "--state"),
            "check", List.of("--conf", "--demo", "--plugins", "--line", "--report"),
            "udev-rules", List.of("--group", "--plugins"),
            "doctor", List.of("--user", "--plugins"),
            "allow-outputs", List.of("--conf", "--apply", "--unit"));

    @TempDir
    Path state;

    @Test
    void everyCommandExplainsItselfWithHelpAndH() throws Exception {
        Cli.Result top = Cli.usblogd("--help");
        assertThat(top.exit()).as("%s", top).isZero();
        assertThat(top.out()).contains("Usage: usblogd", "--version", "--state");
        OPTIONS.keySet().forEach(c -> assertThat(top.out()).as("usblogd --help lists %s", c).contains("  " + c + " "));
        assertThat(top.out()).contains("  help ");

        for (Map.Entry<String, List<String>> c : OPTIONS.entrySet()) {
            for (String flag : List.of("--help", "-h")) {
                Cli.Result r = Cli.usblogd(c.getKey(), flag);
                assertThat(r.exit()).as("usblogd %s %s: %s", c.getKey(), flag, r).isZero();
                assertThat(r.err()).as("usblogd %s %s: %s", c.getKey(), flag, r).isEmpty();
                assertThat(r.out()).as("usblogd %s %s", c.getKey(), flag).contains("Usage: usblogd " + c.getKey())
                        .contains(c.getValue());
            }
        }
        Cli.Result help = Cli.usblogd("help", "export");
        assertThat(help.exit()).as("%s", help).isZero();
        assertThat(help.out()).contains("Usage: usblogd export", "--tier");
    }

    @Test
    void versionPrintsTheVersionThatWasBuilt() throws Exception {
        for (String flag : List.of("--version", "-V")) {
            Cli.Result r = Cli.usblogd(flag);
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).isEqualTo("usblogd " + System.getProperty("usblogd.version") + "\n");
        }
    }

    @Test
    void theStateDirectoryMayBeGivenBeforeOrAfterTheCommand() throws Exception {
        String said = "no database in " + state + " yet";
        for (Cli.Result r : List.of(Cli.usblogd("--state", state.toString(), "devices"),
                Cli.usblogd("devices", "--state", state.toString()),
                Cli.usblogd("--state=" + state, "export", "--format", "json"),
                Cli.usblogd("export", "--format", "json", "--state=" + state),
                Cli.run(Dist.home(), List.of(), Map.of("USBLOGD_STATE", state.toString()), "devices"))) {
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.err()).as("%s", r).contains(said);
        }
    }

    @Test
    void aMistypedOptionIsOneLineAndAHintAndExitStatus2() throws Exception {
        assertUsageError(Cli.usblogd("export", "--devise", "04d9:a052@1-1", "--state", state.toString()),
                "--devise", "usblogd export --help");
        assertUsageError(Cli.usblogd("export", "--tier", "weekly", "--state", state.toString()),
                "weekly", "raw, minute or hour", "usblogd export --help");
        assertUsageError(Cli.usblogd("export", "--format", "xml", "--state", state.toString()),
                "xml", "csv or json", "usblogd export --help");
        assertUsageError(Cli.usblogd("export", "--from", "tuesday", "--state", state.toString()),
                "tuesday", "2026-11-25", "-1h", "usblogd export --help");
        assertUsageError(Cli.usblogd("events", "--since", "soon", "--state", state.toString()),
                "soon", "2026-11-25 10:00", "today", "usblogd events --help");
        assertUsageError(Cli.usblogd("devices", "--format", "xml", "--state", state.toString()),
                "xml", "text or json", "usblogd devices --help");
        assertUsageError(Cli.usblogd("export", "--state", state.toString(), "--device"),
                "--device", "usblogd export --help");
        assertUsageError(Cli.usblogd("devices", "extra", "--state", state.toString()),
                "extra", "usblogd devices --help");
        assertUsageError(Cli.usblogd("frobnicate"), "frobnicate", "usblogd --help");
        assertUsageError(Cli.usblogd("--state", state.toString()), "command", "usblogd --help");
    }

    @Test
    void theInstallationAndTheTarballHoldEveryJarOnTheLaunchersClassPath() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("usblogd.deb")))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("usblogd-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tarball: the package phase builds it"));
        }
        Debian.run("tar", "-xzf", tarball.toString(), "-C", state.toString());
        for (Path home : List.of(Dist.home(), state.resolve("usblogd"))) {
            try (JarFile launcher = new JarFile(home.resolve("lib/usblogd.jar").toFile())) {
                String classPath = launcher.getManifest().getMainAttributes().getValue("Class-Path");
                assertThat(classPath).contains("picocli-");
                for (String jar : classPath.trim().split("\\s+")) {
                    assertThat(home.resolve("lib").resolve(jar)).as("in %s", home).isRegularFile();
                }
            }
            Cli.Result r = Cli.run(home, List.of(), Map.of(), "--version");
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).isEqualTo("usblogd " + System.getProperty("usblogd.version") + "\n");
        }
    }

    @Test
    void allowOutputsPrintsTheAddressesOfEachOutputAndTheListAndOneLinePerUrlItCannotRead() throws Exception {
        Path conf = Files.createDirectories(state.resolve("conf"));
        Files.writeString(conf.resolve("org.usblogd.output-central.cfg"), "type = postgresql\n"
                + "url = jdbc:postgresql://192.0.2.10:5432,[2001:db8::10]/loggers?password=secret\n");
        Files.writeString(conf.resolve("org.usblogd.output-broker.cfg"), "type = mqtt\nurl = mqtts://198.51.100.7\n");
        Files.writeString(conf.resolve("org.usblogd.output-typo.cfg"), "type = mqtt\nurl = mqtt//198.51.100.8\n");
        Files.writeString(conf.resolve("org.usblogd.store.cfg"), "url = jdbc:h2:file:/var/lib/usblogd/db/usblogd\n");

        Cli.Result r = Cli.usblogd("allow-outputs", "--conf", conf.toString());

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).as("%s", r).isEqualTo(
                "output broker (" + conf.resolve("org.usblogd.output-broker.cfg") + "): 198.51.100.7 -> 198.51.100.7\n"
                        + "output central (" + conf.resolve("org.usblogd.output-central.cfg") + "): 192.0.2.10 ->"
                        + " 192.0.2.10; 2001:db8::10 -> 2001:db8::10\n"
                        + "IPAddressAllow=localhost 198.51.100.7 192.0.2.10 2001:db8::10\n");
        assertThat(r.err().lines().toList()).as("%s", r).singleElement().asString()
                .startsWith("usblogd: output typo (" + conf.resolve("org.usblogd.output-typo.cfg")
                        + "): url = mqtt//198.51.100.8 is not valid: expected ")
                .endsWith(": nothing allowed for it; correct url in that file");

        Files.delete(conf.resolve("org.usblogd.output-typo.cfg"));
        Cli.Result right = Cli.usblogd("allow-outputs", "--conf", conf.toString());
        assertThat(right.exit()).as("%s", right).isZero();
        assertThat(right.err()).as("%s", right).isEmpty();
    }

    private static void assertUsageError(Cli.Result r, String... said) {
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.out()).as("%s", r).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as("one line and a hint: %s", r).hasSize(2);
        assertThat(lines.get(0)).as("%s", r).startsWith("usblogd: ");
        assertThat(r.err()).as("%s", r).contains(said).doesNotContain("Exception", "\tat ");
    }
}
