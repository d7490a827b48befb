package org.usblogd.store.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off from device threads to the writer, a chunk of samples at a time: bounded in samples, never
 * blocking a producer. When a chunk does not fit, the oldest queued chunks make room and are counted for
 * their device with the time they span, so that a writer that falls behind keeps the most recent data and
 * says what it lost. One lock operation per chunk, not per sample.
 */
final class ChunkQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final DropCounter drops = new DropCounter("the store's queue was full");
    private final int capacity;
    private int samples;
    private long bytes;
    private boolean woken;

    /** @param capacity the most samples queued */
    ChunkQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** Queues a chunk, dropping the oldest while it does not fit; never blocks. */
    void offer(Chunk c) {
        lock.lock();
        try {
            while (samples + c.size > capacity && !chunks.isEmpty()) {
                Chunk oldest = remove();
                drops.count(oldest.feed.deviceKey, oldest.size, oldest.first, oldest.last);
            }
            chunks.addLast(c);
            samples += c.size;
            bytes += c.heldBytes();
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Counts samples that were refused (the store is closing). */
    void refuse(String deviceKey, long n, long first, long last) {
        drops.count(deviceKey, n, first, last);
    }

    /** Ends the writer's wait at once, whether or not a chunk arrived. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk within the wait, or null when none arrived or the writer was woken. */
    Chunk poll(long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = waitNanos;
            while (chunks.isEmpty() && !woken && left > 0) {
                left = arrived.awaitNanos(left);
            }
            woken = false;
            return chunks.isEmpty() ? null : remove();
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk if one is queued, else null. */
    Chunk poll() {
        lock.lock();
        try {
            return chunks.isEmpty() ? null : remove();
        } finally {
            lock.unlock();
        }
    }

    private Chunk remove() {
        Chunk c = chunks.pollFirst();
        samples -= c.size;
        bytes -= c.heldBytes();
        return c;
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return chunks.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Samples queued. */
    int size() {
        lock.lock();
        try {
            return samples;
        } finally {
            lock.unlock();
        }
    }

    /** Heap held by the queued chunks. */
    long heldBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }

    DropCounter drops() {
        return drops;
    }
}
