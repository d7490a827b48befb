package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which state directories the daemon refuses before it writes anything (as processes: StateDirectoryIT). */
class StateDirectoryCheckTest {
    @TempDir
    Path tmp;

    private final StateDirectoryCheck.User me = StateDirectoryCheck.User.current();

    @Test
    void aDirectoryOfItsOwnOrOneStillToBeMadeIsAccepted() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        assertThatCode(() -> StateDirectoryCheck.check(state, me)).doesNotThrowAnyException();
        assertThatCode(() -> StateDirectoryCheck.check(tmp.resolve("new/state"), me)).doesNotThrowAnyException();
    }

    @Test
    void aDirectoryOfAnotherUserIsRefusedNamingOwnerAndRunner() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        StateDirectoryCheck.User other = new StateDirectoryCheck.User(me.uid() + 4242, "someone");
        assertThatThrownBy(() -> StateDirectoryCheck.check(state, other)).isInstanceOf(StateDirectoryException.class)
                .hasMessageStartingWith("the state directory " + state + " belongs to " + me.name()
                        + ", not to someone who runs usblogd")
                .hasMessageContaining("sudo -u " + me.name() + " usblogd run --state " + state);
    }

    @Test
    void aDatabaseFileLeftByAnotherUserIsRefusedWithTheChownThatGivesItBack() throws Exception {
        Assumptions.assumeTrue(me.uid() == 0, "giving a file to another user needs root");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path file = Files.createFile(Files.createDirectory(state.resolve("db")).resolve("usblogd.mv.db"));
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThatThrownBy(() -> StateDirectoryCheck.check(state, me)).isInstanceOf(StateDirectoryException.class)
                .hasMessageStartingWith(file + " in the state directory belongs to nobody, not to root")
                .hasMessageContaining("chown -R root " + state);
    }

    @Test
    void aReadOnlyDirectoryIsRefusedWithItsModeAndTheFix() throws Exception {
        Assumptions.assumeTrue(me.uid() != 0, "root may write a read-only directory (StateDirectoryIT runs it as nobody)");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> StateDirectoryCheck.check(state, me)).isInstanceOf(StateDirectoryException.class)
                    .hasMessageStartingWith("the state directory " + state + " is read-only for " + me.name()
                            + " (r-xr-xr-x ")
                    .hasMessageContaining("chmod u+w " + state);
            assertThatThrownBy(() -> StateDirectoryCheck.check(state.resolve("sub"), me))
                    .hasMessageStartingWith("cannot create the state directory " + state.resolve("sub") + ": " + state
                            + " is read-only for " + me.name());
        } finally {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
