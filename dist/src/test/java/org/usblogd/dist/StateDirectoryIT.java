package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory the daemon must not or cannot write: one line that names the directory, its owner and
 * the user running, and says what to do; nothing is written there.
 */
class StateDirectoryIT {
    @TempDir
    Path tmp;

    @Test
    void aStateDirectoryOfAnotherUserIsRefusedWithOneLineNamingBoth() throws Exception {
        assumeRoot();
        Path state = Files.createDirectory(tmp.resolve("state"));
        UserPrincipalLookupService users = state.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(state, users.lookupPrincipalByName("nobody"));

        Cli.Result r = Cli.run(Dist.home(), List.of(), Map.of(), "run", "--state", state.toString());

        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.lines()).as("one line: %s", r).hasSize(1);
        assertThat(r.lines().get(0)).as("%s", r).contains(state.toString(), "belongs to nobody", "root",
                "sudo -u nobody");
        assertThat(entries(state)).as("what was written into %s", state).isEmpty();
    }

    @Test
    void aReadOnlyStateDirectoryIsRefusedWithOneLine() throws Exception {
        // root may write anywhere: the daemon then runs as nobody, from an installation nobody can read
        List<String> asNobody = Cli.root() ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--") : List.of();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = PluginJars.copyOfInstallation(tmp.resolve("usblogd"));
        Path state = Files.createDirectory(tmp.resolve("state"));
        if (Cli.root()) {
            Files.setOwner(state, state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-xr-xr-x"));
        String user = Cli.root() ? "nobody" : System.getProperty("user.name");

        Cli.Result r = Cli.run(home, asNobody, Map.of(), "run", "--state", state.toString());

        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.lines()).as("one line: %s", r).hasSize(1);
        assertThat(r.lines().get(0)).as("%s", r).contains(state.toString(), "read-only", user, "chmod u+w");
        assertThat(entries(state)).isEmpty();
    }

    private static void assumeRoot() {
        if (!Cli.root()) {
            System.err.println("\n*** SKIPPED: giving a directory to another user needs root; CI runs this as root ***\n");
        }
        Assumptions.assumeTrue(Cli.root(), "needs root");
    }

    private static List<Path> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
