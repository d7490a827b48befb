package org.usblogd.store.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off from device threads to the writer: bounded, never blocking a producer. When it is full the
 * oldest queued sample makes room and is counted for its device, so that a writer that falls behind keeps
 * the most recent data and says what it lost.
 */
final class SampleQueue {
    /** Put in the queue to wake the writer; never written. */
    private static final StoreOp.Sample WAKE = new StoreOp.Sample(null, 0, 0);
    /** What one queued sample costs in memory: the record and its slot. */
    static final int SAMPLE_BYTES = 40;

    private final ArrayBlockingQueue<StoreOp.Sample> queue;
    private final DropCounter drops = new DropCounter("the store's queue was full");
    private final int capacity;

    SampleQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.queue = new ArrayBlockingQueue<>(this.capacity);
    }

    void offer(StoreOp.Sample s) {
        while (!queue.offer(s)) {
            StoreOp.Sample oldest = queue.poll();
            if (oldest != null && oldest != WAKE) {
                drops.count(oldest.channel().deviceKey, oldest.t());
            }
        }
    }

    /** Counts a sample that was refused (the store is closing). */
    void refuse(StoreOp.Sample s) {
        drops.count(s.channel().deviceKey, s.t());
    }

    void wake() {
        queue.offer(WAKE);
    }

    /** The next sample within the wait, or null. */
    StoreOp.Sample poll(long waitNanos) throws InterruptedException {
        StoreOp.Sample s = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        return s == WAKE ? null : s;
    }

    /** The next sample if one is queued, else null; wake-ups are skipped. */
    StoreOp.Sample poll() {
        StoreOp.Sample s;
        do {
            s = queue.poll();
        } while (s == WAKE);
        return s;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    int capacity() {
        return capacity;
    }

    DropCounter drops() {
        return drops;
    }
}
