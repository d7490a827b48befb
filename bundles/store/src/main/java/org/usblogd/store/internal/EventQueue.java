package org.usblogd.store.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events waiting for the writer, in order, bounded: an outage of days with a device that reports faults
 * every second must not fill the heap. When full, the oldest event makes room and is counted; the count
 * becomes an {@code events.dropped} event once writing works again. An event leaves the queue only when
 * the transaction that wrote it has committed.
 */
final class EventQueue {
    private static final Logger log = LoggerFactory.getLogger(EventQueue.class);
    /** A rough cost of one queued event with its message, for the documented memory bound. */
    static final int EVENT_BYTES = 256;

    private record Entry(long seq, StoreOp.Event event) {
    }

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final int capacity;
    private long nextSeq;
    private long dropped;
    private long droppedReported;

    EventQueue(int capacity) {
        this.capacity = Math.max(16, capacity);
    }

    synchronized void add(StoreOp.Event e) {
        if (queue.size() >= capacity) {
            queue.pollFirst();
            if (dropped++ == droppedReported) {
                log.warn("store: more than {} events wait to be written; the oldest are dropped and counted", capacity);
            }
        }
        queue.addLast(new Entry(nextSeq++, e));
    }

    /** The events to write now, oldest first, with the sequence number to pass to {@link #written}. */
    synchronized Batch batch() {
        List<StoreOp.Event> events = new ArrayList<>(queue.size());
        long last = -1;
        for (Entry en : queue) {
            events.add(en.event());
            last = en.seq();
        }
        return new Batch(events, last);
    }

    /** Removes what the committed transaction wrote. */
    synchronized void written(long lastSeq) {
        while (!queue.isEmpty() && queue.peekFirst().seq() <= lastSeq) {
            queue.pollFirst();
        }
    }

    /** Events dropped since the last call, for one event that says so. */
    synchronized long takeDropped() {
        long n = dropped - droppedReported;
        droppedReported = dropped;
        return n;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    synchronized int size() {
        return queue.size();
    }

    record Batch(List<StoreOp.Event> events, long lastSeq) {
    }
}
