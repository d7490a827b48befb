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

    @Test
    void aDaemonStartingWhileAReadingCommandProbesTheLockWaitsOutTheProbeInsteadOfTurningItselfAway()
            throws Exception {
        Path file = state.resolve(StateLock.FILE_NAME);
        Files.writeString(file, "");
        // another process holding the probe's shared lock, here for longer than a probe takes, to see the wait
        Process probe = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), SharedLockHolder.class.getName(), file.toString(), "400")
                .redirectErrorStream(true).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(probe.getInputStream())).readLine())
                    .isEqualTo("held");
            long started = System.nanoTime();
            try (StateLock lock = StateLock.acquire(state)) {
                long waitedMs = (System.nanoTime() - started) / 1_000_000;
                assertThat(waitedMs).as("waited for the probe to let go").isGreaterThan(100);
            }
        } finally {
            probe.destroyForcibly().waitFor();
        }
    }

    /** Holds a shared lock on the file named by its first argument for as many ms as the second says. */
    static final class SharedLockHolder {
        public static void main(String[] args) throws Exception {
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(Path.of(args[0]),
                    java.nio.file.StandardOpenOption.READ); java.nio.channels.FileLock l = c.lock(0, Long.MAX_VALUE, true)) {
                System.out.println("held");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[1]));
            }
        }
    }
}
