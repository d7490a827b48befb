package org.usblogd.http.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * One open stream: what it asked for (a device, a channel, or everything), and the commits waiting for it to
 * read them, at most {@link #CAPACITY} holding at most {@link #MOST_SAMPLES} samples. The store's writer hands commits over without ever waiting: when the
 * client reads too slowly to keep up, a commit that does not fit is dropped for this client alone, counted,
 * and the client is told how many it missed.
 */
final class StreamClient {
    /** Commits held for a client: about a minute and a half of commits, at the store's default of 5 a second. */
    static final int CAPACITY = 512;
    /**
     * Samples held for a client: a commit can be large (a backlog written at once after an outage), and the
     * commits alone would not bound what a stalled client keeps in memory; 16 streams hold at most ~100 MB.
     */
    static final int MOST_SAMPLES = 50_000;

    /** What one commit brought that this client asked for. */
    record Batch(List<StoredSample> samples, List<StoredEvent> events) {
    }

    private final String device;
    private final String channel;
    private final ArrayBlockingQueue<Batch> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong droppedSamples = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private volatile boolean closed;

    /** @param device null for every device; @param channel null for every channel */
    StreamClient(String device, String channel) {
        this.device = device;
        this.channel = channel;
    }

    /** Called on the store's writer thread: filters, and queues without waiting. */
    void offer(List<StoredSample> samples, List<StoredEvent> events) {
        List<StoredSample> mine = device == null && channel == null ? samples : samples.stream()
                .filter(s -> (device == null || device.equals(s.device())) && (channel == null
                        || channel.equals(s.channel()))).toList();
        List<StoredEvent> theirs = device == null ? events
                : events.stream().filter(e -> device.equals(e.device())).toList();
        if (mine.isEmpty() && theirs.isEmpty()) {
            return;
        }
        // only the writer's thread adds to held, so the check and the add cannot interleave with another offer
        if (held.get() + mine.size() > MOST_SAMPLES || !queue.offer(new Batch(mine, theirs))) {
            droppedSamples.addAndGet(mine.size());
            droppedEvents.addAndGet(theirs.size());
            return;
        }
        held.addAndGet(mine.size());
    }

    /** The next commit, or null after {@code ms} without one, or once closed. */
    Batch next(long ms) throws InterruptedException {
        Batch b = closed ? null : queue.poll(ms, TimeUnit.MILLISECONDS);
        if (b != null) {
            held.addAndGet(-b.samples().size());
        }
        return closed ? null : b;
    }

    /** Samples and events dropped since the last call, for the client to be told. */
    long[] takeDropped() {
        return new long[] { droppedSamples.getAndSet(0), droppedEvents.getAndSet(0) };
    }

    /** Ends the stream at once: a reader waiting for the next commit is woken. */
    void close() {
        closed = true;
        queue.clear();
        queue.offer(new Batch(List.of(), List.of()));
    }

    boolean closed() {
        return closed;
    }
}
