package org.usblogd.outputs.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.output.OutputStatus;
import org.usblogd.api.store.Backlog;
import org.usblogd.api.store.ForwardSource;
import org.usblogd.api.store.Micros;
import org.usblogd.api.store.SourceChannel;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/**
 * The one thread of one output: it alone reads the output's cursors, talks to the peer and moves the cursors,
 * so nothing about an output is shared but its status. It runs when the store tells of a commit and at least
 * every poll interval; after a failure it waits with back-off on the monotonic clock, and commits do not cut
 * the wait short.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final long BACKLOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long STOP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final OutputSettings settings;
    private final ForwardSource source;
    private final Peer peer;
    private final long pollNanos;
    private final BackOff backOff;
    private final FailureLog failures;
    private final Thread thread;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean stopping;

    private volatile boolean connected;
    private volatile Backlog backlog = new Backlog(-1, Long.MIN_VALUE, -1);
    private final AtomicLong forwardedSamples = new AtomicLong();
    private final AtomicLong forwardedEvents = new AtomicLong();
    private volatile String lastError;
    private volatile long lastErrorMicros = Long.MIN_VALUE;
    private long backlogReadNanos;
    private boolean registered;
    /** Whether the last attempt ended with a connection that had worked breaking. */
    private boolean droppedLast;
    /** Where the next round starts among the channels, so that one channel's long backlog starves no other. */
    private int start;

    Forwarder(OutputSettings settings, ForwardSource source, Peer peer, PeerFailures failures, long pollNanos,
            long firstBackOffNanos, long maxBackOffNanos) {
        this.settings = settings;
        this.source = source;
        this.peer = peer;
        this.pollNanos = pollNanos;
        this.backOff = new BackOff(firstBackOffNanos, maxBackOffNanos);
        this.failures = new FailureLog(settings, failures);
        this.thread = new Thread(this::run, "usblogd-output-" + settings.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Called on the store's writer thread after a commit: returns at once. */
    void wake() {
        woken.set(true);
        LockSupport.unpark(thread);
    }

    /** Stops the thread and closes the peer's connection; a batch under way is dropped (sent again later). */
    void stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.NANOSECONDS.toMillis(STOP_NANOS));
        if (thread.isAlive()) {
            peer.abort(); // a peer that does not answer: its socket is closed under the thread
            thread.join(TimeUnit.NANOSECONDS.toMillis(STOP_NANOS));
            if (thread.isAlive()) {
                log.warn("output {}: its thread did not stop within {} s; it ends with its connection's timeout",
                        settings.name(), 2 * TimeUnit.NANOSECONDS.toSeconds(STOP_NANOS));
            }
        }
    }

    OutputStatus status() {
        Backlog b = backlog;
        return new OutputStatus(settings.name(), settings.type(), settings.target(), connected, b.samples(),
                b.oldestMicros(), b.events(), forwardedSamples.get(), forwardedEvents.get(), lastError, lastErrorMicros);
    }

    private void run() {
        try {
            while (!stopping) {
                switch (pass()) {
                case DONE -> {
                    backOff.succeeded();
                    await(pollNanos, true);
                }
                case FAILED -> await(backOff.failed(), false);
                case DROPPED -> {
                    // at once, on a new connection: what that attempt finds is what the log says
                }
                }
            }
        } finally {
            peer.leave();
            connected = false;
        }
    }

    private enum Outcome {
        DONE,
        FAILED,
        /** A connection that worked broke: the server restarted, or went away, which the next attempt tells. */
        DROPPED
    }

    /** Forwards everything committed so far. */
    private Outcome pass() {
        boolean reached = false;
        try {
            if (stopping) {
                return Outcome.DONE; // stopped (its file changed or went): neither registered again nor connected
            }
            if (!registered) {
                // from now on retention keeps what this output has not forwarded, even before it ever connects
                source.register(settings.name());
                registered = true;
            }
            peer.connect();
            reached = true;
            forwardAll();
            sent();
            backlog(false);
            droppedLast = false;
            return Outcome.DONE;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            // any failure, even an Error of a driver (pgjdbc asserts on a connection lost amid a batch when
            // assertions are on): the thread that owns the output must live on, or the output stops for good
            peer.close();
            backlog(true); // before the state changes: who sees it disconnected sees the backlog too
            connected = false;
            if (stopping) {
                return Outcome.FAILED; // an abort at stop is no failure of the peer
            }
            lastErrorMicros = Micros.of(java.time.Instant.now());
            // a connection that worked and broke is tried again at once, once: what that attempt finds is what
            // the log says (a restarted server says nothing at all); failing again after it is a failure
            if (reached && !droppedLast && !(e instanceof StoreException)) {
                droppedLast = true;
                lastError = FailureLog.message(e);
                return Outcome.DROPPED;
            }
            droppedLast = false;
            lastError = failures.failed(e, System.nanoTime(), backlog.samples());
            return Outcome.FAILED;
        }
    }

    private void forwardAll() throws Exception {
        // the cursors as this thread moves them: read from the store once, and again only when a round finds
        // nothing to send (to learn of what was committed meanwhile)
        List<SourceChannel> channels = new ArrayList<>(source.channels(settings.name()));
        long eventCursor = source.eventCursor(settings.name());
        boolean fresh = true;
        while (!stopping) {
            List<StoredSample> samples = new ArrayList<>();
            Map<Long, Long> moved = new HashMap<>();
            int n = channels.size();
            for (int k = 0; k < n && samples.size() < settings.batch(); k++) {
                int at = (start + k) % n;
                SourceChannel ch = channels.get(at);
                if (!ch.behind()) {
                    continue;
                }
                List<StoredSample> got = source.samplesAfter(ch, ch.forwardedMicros(), settings.batch() - samples.size());
                long last = got.isEmpty() ? ch.forwardedMicros() : got.get(got.size() - 1).timeMicros();
                if (!got.isEmpty()) {
                    samples.addAll(got);
                    moved.put(ch.id(), last);
                }
                // nothing after the cursor although the newest time said so (removed by retention meanwhile):
                // not behind until the store is read again
                channels.set(at, got.isEmpty() ? new SourceChannel(ch.id(), ch.device(), ch.channel(), ch.unit(),
                        ch.forwardedMicros(), ch.forwardedMicros()) : new SourceChannel(ch.id(), ch.device(),
                                ch.channel(), ch.unit(), last, ch.newestMicros()));
            }
            start = n == 0 ? 0 : (start + 1) % n;
            List<StoredEvent> events = source.eventsAfter(eventCursor, settings.batch());
            if (samples.isEmpty() && events.isEmpty()) {
                if (fresh) {
                    return;
                }
                channels = new ArrayList<>(source.channels(settings.name()));
                fresh = true;
                continue;
            }
            fresh = false;
            if (stopping) {
                return; // an edit may have named another server: what was read goes there, not to this one
            }
            peer.send(new Batch(samples, events));
            if (stopping) {
                // sent, but the output is going (forgotten, maybe): its cursors are not written again, and the
                // batch goes again to whatever comes next, whose keys drop it if it is the same server
                return;
            }
            // the peer has committed: only now may the cursors move (a crash before this sends the batch again,
            // which the peer's keys make harmless)
            long lastEvent = events.isEmpty() ? 0 : events.get(events.size() - 1).id();
            source.advance(settings.name(), moved, lastEvent);
            eventCursor = Math.max(eventCursor, lastEvent);
            forwardedSamples.addAndGet(samples.size());
            forwardedEvents.addAndGet(events.size());
            sent();
        }
    }

    /**
     * The peer took what it was sent (or there was nothing to send): connected, and the log says so when that
     * is news. Called after each batch, so that a long catch-up shows as connected from its first batch on.
     */
    private void sent() {
        if (!connected) {
            backlog(true);
            connected = true;
        }
        failures.succeeded(System.nanoTime(), backlog.samples());
    }

    /** Reads the backlog for the status, at most every couple of seconds unless asked to. */
    private void backlog(boolean now) {
        long t = System.nanoTime();
        if (!now && backlogReadNanos != 0 && t - backlogReadNanos < BACKLOG_EVERY_NANOS) {
            return;
        }
        backlogReadNanos = t;
        try {
            backlog = source.backlog(settings.name());
        } catch (StoreException e) {
            log.debug("output {}: reading its backlog: {}", settings.name(), e.getMessage());
        }
    }

    /** Waits on the monotonic clock; a commit ends the wait early when {@code wakeable}. */
    private void await(long nanos, boolean wakeable) {
        long deadline = System.nanoTime() + nanos;
        while (!stopping) {
            if (wakeable && woken.getAndSet(false)) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }
}
