package org.usblogd.store.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Small state files (the database's credentials, the server's port) written so that a power cut leaves
 * either the old content or the new one, never an empty or half-written file: written to a temporary file,
 * forced to the disk, renamed over the old one, and the directory forced too (the rename lives there).
 */
public final class DurableFile {
    private DurableFile() {
    }

    /** Writes {@code text} (UTF-8) to {@code file}, readable and writable by its owner only when {@code secret}. */
    public static void write(Path file, String text, boolean secret) throws IOException {
        write(file, text, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
    }

    /** Writes {@code text} (UTF-8) to {@code file}, created with {@code mode} (less the umask). */
    public static void write(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<?> attr = PosixFilePermissions.asFileAttribute(mode);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attr)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
    }

    /** Forces a directory's entries (a rename, a new file) to the disk. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * The file's content, stripped; fails with a message saying which file and what to do when it is empty (a
     * file written before a power cut by a version that did not force it to the disk).
     */
    public static String read(Path file, String whatItIs) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new IOException(file + " (" + whatItIs + ") is empty: it was cut short, probably by a power cut"
                    + " while it was being written");
        }
        return s;
    }
}
