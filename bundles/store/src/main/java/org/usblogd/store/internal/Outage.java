package org.usblogd.store.internal;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can write, and what the user is told when it cannot: one log line when writing fails
 * (and again only when the reason changes), in plain words where the cause is known (a full disk, a
 * read-only filesystem), and one {@code store.outage} event with its length once writing works again.
 */
final class Outage {
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private final LongSupplier nanos;
    private volatile Path databaseDirectory;
    private volatile String lastError;
    private volatile boolean storageUnavailable;
    private String firstError;
    private long since;

    Outage(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** The directory of an embedded database, so that a failed write can say the disk is full. */
    void databaseDirectory(Path directory) {
        this.databaseDirectory = directory;
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
        return Optional.of(message);
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
