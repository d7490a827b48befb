package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a failed write into what the user must know: the disk is full, or the filesystem is read-only,
 * rather than the database's "Writing to FileChannel... failed".
 */
final class StorageDiagnosis {
    /** Less free space than this counts as a full disk for a database that writes chunks of tens of KB. */
    static final long FULL_BELOW_BYTES = 1_048_576;

    private StorageDiagnosis() {
    }

    /** The cause in plain words when it is one of the two, else empty. */
    static java.util.Optional<String> of(Path directory) {
        if (directory == null) {
            return java.util.Optional.empty();
        }
        try {
            FileStore store = Files.getFileStore(directory);
            if (store.isReadOnly() || !Files.isWritable(directory)) {
                return java.util.Optional.of("the filesystem holding " + directory + " is read-only");
            }
            long free = store.getUsableSpace();
            if (free < FULL_BELOW_BYTES) {
                return java.util.Optional.of("the disk holding " + directory + " is full (" + free / 1024
                        + " KB free)");
            }
        } catch (IOException e) {
            return java.util.Optional.of("the database directory " + directory + " cannot be reached: " + e.getMessage());
        }
        return java.util.Optional.empty();
    }
}
