package org.usblogd.framework;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One daemon per state directory: an exclusive lock on {@code usblogd.lock} in it, taken before anything
 * there is touched (the framework cleans its cache at start, the store opens and checks the database) and held
 * until the daemon ends. The kernel releases it when the process dies however it dies, so a lock file left by
 * a killed daemon keeps nobody out; the file is never deleted, because a process could still lock its old
 * inode. It holds the holder's pid (for the message of the one that is turned away, and {@code usblogd status})
 * and, on a second line, the version it runs (when it runs from its jar).
 */
final class StateLock implements AutoCloseable {
    static final String FILE_NAME = "usblogd.lock";
    /** How long a starting daemon waits out a reading command's probe of the lock. */
    private static final long PROBE_WAIT_MS = 1_000;

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the state directory, which must exist, or says which process has it. */
    static StateLock acquire(Path state) throws IOException {
        Path file = state.resolve(FILE_NAME);
        boolean created = !Files.exists(file);
        // not truncated on open: the pid in it is the holder's until this process holds the lock
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = tryLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new StateDirectoryException("another usblogd (pid " + holder(file) + ") is running on state directory "
                    + state + ": this one stops here and touches nothing there; stop the other first (systemctl stop"
                    + " usblogd, or kill it), or give this one a state directory of its own (--state DIR)");
        }
        try {
            String version = Version.number();
            byte[] pid = (ProcessHandle.current().pid() + "\n" + (version == null ? "" : version + "\n"))
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
            if (created) {
                try (FileChannel dir = FileChannel.open(state, StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new StateLock(channel, lock);
    }

    /**
     * The lock, or null when another daemon holds it. A reading command that asks whether a daemon runs
     * ({@link #held}) holds the lock for an instant: a daemon starting in that instant tries again for a
     * while instead of turning itself away.
     */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + PROBE_WAIT_MS * 1_000_000L;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null || System.nanoTime() - deadline > 0) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                return null; // this process already holds it (a second daemon in one JVM)
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * Whether a daemon runs on {@code state}: whether a process holds its lock. No lock file: no daemon ever
     * ran there. One this user may not read cannot tell, and counts as held, so that what the database says
     * stands. The probe's shared lock is released at once.
     */
    static boolean held(Path state) {
        Path file = state.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return false;
        }
        if (!Files.isReadable(file)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held in this very process
        } catch (IOException e) {
            return false;
        }
    }

    /** The pid the holder wrote, or "unknown" (it may be between taking the lock and writing it). */
    private static String holder(Path file) {
        List<String> lines = lines(file);
        return !lines.isEmpty() && lines.get(0).matches("[0-9]+") ? lines.get(0) : "unknown";
    }

    /** The lines the holder wrote: its pid, then its version; none when it cannot be read. */
    static List<String> lines(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().map(String::strip).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
