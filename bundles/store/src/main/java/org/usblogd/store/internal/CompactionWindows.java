package org.usblogd.store.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the writer's compaction windows and maintenance share. A window must follow its sync with no other
 * commit in between (H2 may reuse the space of chunks that were dead at the sync, not of chunks that died
 * since), so maintenance commits under the same lock. And maintenance gives up data for the disk budget only
 * when the file is still over it after a window: dead space a window removes is not a reason to delete.
 */
final class CompactionWindows {
    private final Object lock = new Object();
    private final AtomicLong done = new AtomicLong();

    /** Held around a maintenance step's transaction and around a sync plus its window. */
    Object lock() {
        return lock;
    }

    void windowDone() {
        done.incrementAndGet();
    }

    /** Windows done so far. */
    long done() {
        return done.get();
    }
}
