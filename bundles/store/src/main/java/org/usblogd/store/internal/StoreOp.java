package org.usblogd.store.internal;

/** What producers hand the writer thread besides device state and samples ({@link Chunk}): events. */
sealed interface StoreOp {

    /** @param deviceKey null for the daemon's own events */
    record Event(String deviceKey, String kind, String message, long t) implements StoreOp {
    }
}
