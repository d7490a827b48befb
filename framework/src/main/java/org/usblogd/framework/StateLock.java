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

/**
 * One daemon per state directory: an exclusive lock on {@code usblogd.lock} in it, taken before anything
 * there is touched (the framework cleans its cache at start, the store opens and checks the database) and held
 * until the daemon ends. The kernel releases it when the process dies however it dies, so a lock file left by
 * a killed daemon keeps nobody out; the file is never deleted, because a process could still lock its old
 * inode. It holds the holder's pid, for the message of the one that is turned away.
 */
final class StateLock implements AutoCloseable {
    static final String FILE_NAME = "usblogd.lock";

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
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this process already holds it (a second daemon in one JVM)
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
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
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

    /** The pid the holder wrote, or "unknown" (it may be between taking the lock and writing it). */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
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
