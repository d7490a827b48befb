package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock that keeps a second daemon off a state directory (across processes: SecondDaemonIT). */
class StateLockTest {
    @TempDir
    Path state;

    @Test
    void aHeldStateDirectoryIsRefusedNamingTheHoldersPidAndItsFileKeepsThatPid() throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        try (StateLock held = StateLock.acquire(state)) {
            assertThat(state.resolve(StateLock.FILE_NAME)).hasContent(pid + "\n");

            assertThatThrownBy(() -> StateLock.acquire(state)).isInstanceOf(StateDirectoryException.class)
                    .hasMessageStartingWith("another usblogd (pid " + pid + ") is running on state directory " + state
                            + ": ");
            assertThat(state.resolve(StateLock.FILE_NAME)).as("the holder's pid, untouched").hasContent(pid + "\n");
        }
    }

    @Test
    void aLockFileLeftBehindKeepsNobodyOut() throws Exception {
        Files.writeString(state.resolve(StateLock.FILE_NAME), "999999999\n");
        try (StateLock lock = StateLock.acquire(state)) {
            assertThat(state.resolve(StateLock.FILE_NAME)).hasContent(ProcessHandle.current().pid() + "\n");
        }
        try (StateLock again = StateLock.acquire(state)) {
            assertThat(again).as("released by close").isNotNull();
        }
    }

    @Test
    void aDaemonIsTakenToRunExactlyWhileItsLockIsHeld() throws Exception {
        assertThat(StateLock.held(state)).as("no lock file").isFalse();
        try (StateLock lock = StateLock.acquire(state)) {
            assertThat(StateLock.held(state)).as("while held").isTrue();
        }
        assertThat(StateLock.held(state)).as("the file left behind once released").isFalse();
        try (StateLock again = StateLock.acquire(state)) {
            assertThat(again).as("the probe took nothing away").isNotNull();
        }
    }
}
