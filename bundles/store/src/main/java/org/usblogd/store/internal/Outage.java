package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.store.jdbc.DurableFile;
import org.usblogd.store.jdbc.StoreLocation;

/**
 * Whether the store can write, and what the user is told when it cannot: one log line when writing fails
 * (and again only when the reason changes), in plain words where the cause is known (a full disk, a
 * read-only filesystem), and one {@code store.outage} event with its length once writing works again. While
 * writing fails, an embedded database's directory holds a tiny file saying since when and why, for
 * {@code usblogd status}; a disk too full for even that leaves it out, and the log line says so.
 */
final class Outage {
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    /** Its name in the database's directory, as {@link StoreLocation#outageFile()} says. */
    private static final String OUTAGE_FILE = "outage";

    private final LongSupplier nanos;
    private volatile Path databaseDirectory;
    private volatile String lastError;
    private volatile boolean storageUnavailable;
    private String firstError;
    private long since;

    Outage(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * The directory of an embedded database, so that a failed write can say the disk is full; an outage file
     * left there by a daemon that was killed during an outage says nothing of this one, and goes.
     */
    void databaseDirectory(Path directory) {
        this.databaseDirectory = directory;
        removeFile();
    }

    /**
     * A write failed.
     *
     * @param held what waits in memory, for the log line
     */
    void failed(Exception e, String held) {
        Optional<String> diagnosis = StorageDiagnosis.of(databaseDirectory);
        String why = diagnosis.orElse(String.valueOf(e.getMessage()));
        if (lastError == null) {
            since = nanos.getAsLong();
            firstError = why;
            writeFile(why);
        }
        if (!why.equals(lastError)) {
            log.error("store cannot write: {}; {} wait in memory and are written when it can write again{}", why,
                    held, diagnosis.isPresent() ? " (" + e.getMessage() + ")" : "");
        }
        storageUnavailable = diagnosis.isPresent();
        lastError = why;
    }

    /** A write worked; if it had failed before, what the {@code store.outage} event says. */
    Optional<String> worked() {
        if (lastError == null) {
            return Optional.empty();
        }
        long seconds = (nanos.getAsLong() - since) / 1_000_000_000L;
        log.info("store writes again after {} s", seconds);
        String message = "could not write for " + seconds + " s: " + firstError + "; what waited in memory is written";
        lastError = null;
        storageUnavailable = false;
        removeFile();
        return Optional.of(message);
    }

    /** The outage file: the wall-clock time it began (for people), then why. */
    private void writeFile(String why) {
        Path dir = databaseDirectory;
        if (dir == null) {
            return;
        }
        try {
            DurableFile.write(dir.resolve(OUTAGE_FILE), Instant.now() + "\n" + why + "\n", false);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write {} either ({}): usblogd status will not show this outage", dir.resolve(OUTAGE_FILE),
                    e.getMessage());
        }
    }

    private void removeFile() {
        Path dir = databaseDirectory;
        if (dir == null) {
            return;
        }
        try {
            if (Files.deleteIfExists(dir.resolve(OUTAGE_FILE))) {
                DurableFile.syncDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove {} ({}): usblogd status may show an outage that ended", dir.resolve(OUTAGE_FILE),
                    e.getMessage());
        }
    }

    boolean failing() {
        return lastError != null;
    }

    /** The last write's error, or null when it worked. */
    String lastError() {
        return lastError;
    }

    /**
     * Whether writing fails because the disk is full or read-only: restarting the daemon would not help, so
     * it stays healthy for the watchdog while it holds samples and waits.
     */
    boolean storageUnavailable() {
        return storageUnavailable;
    }
}
