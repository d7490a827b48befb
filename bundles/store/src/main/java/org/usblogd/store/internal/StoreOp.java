package org.usblogd.store.internal;

/** What producers hand the writer thread besides device state: events and samples. */
sealed interface StoreOp {

    /** @param deviceKey null for the daemon's own events */
    record Event(String deviceKey, String kind, String message, long t) implements StoreOp {
    }

    record Sample(ChannelRef channel, long t, double v) implements StoreOp {
    }
}
