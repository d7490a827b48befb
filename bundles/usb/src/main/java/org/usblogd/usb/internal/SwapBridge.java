package org.usblogd.usb.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * Keeps a device's IN transfers going while its driver is swapped. A session that ends because its driver
 * left hands its {@link DeviceHold} (the open device, its claimed interfaces) to a bridge instead of giving it
 * back; the bridge reads on every bulk and interrupt IN endpoint the session read, with the same call and
 * length, and keeps what arrives with the device time it arrived at, up to a number of bytes (beyond that the
 * oldest go, and are counted). The next session's link takes the bridge and hands the driver those transfers
 * first, then reads the device itself. Isochronous reads and streams are not bridged.
 *
 * <p>One reader thread per endpoint, each the only one reading its endpoint until the new session asks for
 * it; a reader the new session does not ask for within the grace period stops, and what it kept is dropped.
 * Whoever holds the bridge last ends it: {@link #close} gives the device back, {@link #passOn} gives what is
 * left to the next holder.
 */
final class SwapBridge {
    /**
     * How long one bridged read waits for the device: it bounds how long stopping a reader takes, since
     * libusb cannot cut a synchronous transfer short.
     */
    static final int READ_TIMEOUT_MS = 50;
    /** Counted for every transfer however short, so that a flood of empty transfers is bounded too. */
    private static final int PER_TRANSFER = 32;

    /** How the session that left read an endpoint: the bridge reads it the same way. */
    record EndpointRead(boolean bulk, int length) {
    }

    /** A transfer that arrived while no driver read, and the device time it arrived at. */
    record Arrival(byte[] data, long time) {
    }

    /**
     * What a bridge may do: how long a reader waits for the next session to ask for its endpoint, how many
     * bytes it keeps, and where it reports what it had to drop (an event kind and a message).
     */
    record Terms(long graceMs, long maxBytes, BiConsumer<String, String> events) {
    }

    /** What a bridge leaves to the next one when a session it bridged into is swapped again. */
    record Leftover(Map<Integer, EndpointRead> endpoints, Map<Integer, List<Arrival>> buffered) {
        static final Leftover NONE = new Leftover(Map.of(), Map.of());
    }

    private final DeviceHold hold;
    private final LongSupplier clock;
    private final Terms terms;
    private final Map<Integer, Reader> readers = new LinkedHashMap<>();
    private final Map<Integer, EndpointRead> reads;
    // guarded by this
    private final Map<Integer, ArrayDeque<Arrival>> buffered = new HashMap<>();
    /** Endpoints whose transfers still come from the bridge: a reader runs or something is buffered. */
    private final Set<Integer> bridged = new LinkedHashSet<>();
    private final List<String> stoppedReading = new ArrayList<>();
    private long bytes;
    private long kept;
    private long overflowed;
    private long unread;
    private long takenAt;
    private boolean reported;

    private SwapBridge(DeviceHold hold, Map<Integer, EndpointRead> reads, LongSupplier clock, Terms terms) {
        this.hold = hold;
        this.reads = Map.copyOf(reads);
        this.clock = clock;
        this.terms = terms;
    }

    /**
     * Starts reading the endpoints on the held device; what an earlier bridge left is handed out first.
     *
     * @param clock the device time an arrival is stamped with
     */
    static SwapBridge start(DeviceHold hold, Map<Integer, EndpointRead> endpoints, Leftover left, LongSupplier clock,
            Terms terms) {
        Map<Integer, EndpointRead> all = new LinkedHashMap<>(left.endpoints());
        all.putAll(endpoints);
        SwapBridge b = new SwapBridge(hold, all, clock, terms);
        synchronized (b) {
            left.buffered().forEach((ep, list) -> list.forEach(a -> b.keep(ep, a)));
            b.bridged.addAll(all.keySet());
        }
        all.forEach((ep, how) -> b.readers.put(ep, b.new Reader(ep, how)));
        b.readers.values().forEach(r -> r.thread.start());
        return b;
    }

    DeviceHold hold() {
        return hold;
    }

    /** The endpoints read on, e.g. "0x81". */
    String endpoints() {
        return reads.keySet().stream().map(ep -> "0x" + Integer.toHexString(ep)).reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    /** Transfers kept so far (those dropped since included). */
    synchronized long kept() {
        return kept;
    }

    /** A session took the bridge: from now on a reader whose endpoint it does not ask for stops after the grace. */
    synchronized void taken() {
        takenAt = System.nanoTime();
    }

    /** Whether reads on the endpoint still come from the bridge. */
    synchronized boolean bridges(int endpoint) {
        return bridged.contains(endpoint);
    }

    /**
     * The endpoint's next kept transfer. When none is kept its reader is stopped (its read under way ends
     * within {@link #READ_TIMEOUT_MS} or with the device's next transfer, which is kept); null once nothing is
     * left: the caller reads the device itself from then on.
     */
    Arrival next(int endpoint) throws InterruptedException {
        Arrival a = poll(endpoint);
        if (a != null) {
            return a;
        }
        Reader r = readers.get(endpoint);
        if (r != null) {
            r.stop = true;
            r.thread.join();
        }
        a = poll(endpoint);
        if (a == null) {
            finished(endpoint);
        }
        return a;
    }

    private synchronized Arrival poll(int endpoint) {
        ArrayDeque<Arrival> q = buffered.get(endpoint);
        Arrival a = q == null ? null : q.pollFirst();
        if (a != null) {
            bytes -= cost(a);
        }
        return a;
    }

    private synchronized void finished(int endpoint) {
        bridged.remove(endpoint);
        if (bridged.isEmpty()) {
            report();
        }
    }

    /** Keeps an arrival; beyond the byte limit the oldest kept transfer, of any endpoint, is dropped. */
    private synchronized void keep(int endpoint, Arrival a) {
        buffered.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addLast(a);
        bytes += cost(a);
        kept++;
        while (bytes > terms.maxBytes()) {
            ArrayDeque<Arrival> oldest = null;
            for (ArrayDeque<Arrival> q : buffered.values()) {
                if (!q.isEmpty() && (oldest == null || q.peekFirst().time() < oldest.peekFirst().time())) {
                    oldest = q;
                }
            }
            bytes -= cost(oldest.pollFirst());
            overflowed++;
        }
    }

    /** A reader whose endpoint the new session did not ask for within the grace: what it kept is dropped. */
    private synchronized boolean unasked(int endpoint) {
        if (takenAt == 0 || System.nanoTime() - takenAt < terms.graceMs() * 1_000_000L) {
            return false;
        }
        ArrayDeque<Arrival> q = buffered.remove(endpoint);
        if (q != null) {
            unread += q.size();
            q.forEach(a -> bytes -= cost(a));
        }
        finished(endpoint);
        return true;
    }

    private static long cost(Arrival a) {
        return a.data().length + PER_TRANSFER;
    }

    /** Says once what was lost: transfers dropped for the byte limit, and those the new driver never asked for. */
    /** A reader that met an error other than a timeout: what the device sent after it is not kept; said once. */
    private synchronized void stoppedReading(int endpoint, UsbException e) {
        stoppedReading.add("endpoint 0x" + Integer.toHexString(endpoint) + " stopped being read during the driver"
                + " swap (" + e.getMessage() + "); what the device sent after that is lost");
    }

    private void report() {
        List<String> stops;
        synchronized (this) {
            stops = List.copyOf(stoppedReading);
        }
        if (reported || overflowed + unread == 0 && stops.isEmpty()) {
            return;
        }
        reported = true;
        List<String> what = new ArrayList<>();
        if (overflowed > 0) {
            what.add(overflowed + " of " + kept + " transfers read during the driver swap were dropped, oldest first:"
                    + " more arrived than swap.buffer.bytes (" + terms.maxBytes() + ") holds");
        }
        if (unread > 0) {
            what.add(unread + " transfers read during the driver swap were dropped: the new driver did not read"
                    + " them (endpoint " + endpoints() + ") within swap.grace.ms (" + terms.graceMs()
                    + ") or before its session ended");
        }
        what.addAll(stops);
        terms.events().accept("swap.dropped", String.join("; ", what));
    }

    /** Stops every reader and waits for it; a read under way ends within {@link #READ_TIMEOUT_MS}. */
    private void stopReaders() {
        readers.values().forEach(r -> r.stop = true);
        boolean interrupted = false;
        for (Reader r : readers.values()) {
            while (r.thread.isAlive()) {
                try {
                    r.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops reading and gives what is still bridged to the next bridge: the session that took this one is
     * swapped in turn before its driver asked for everything.
     */
    Leftover passOn() {
        stopReaders();
        synchronized (this) {
            Map<Integer, EndpointRead> endpoints = new LinkedHashMap<>();
            Map<Integer, List<Arrival>> left = new HashMap<>();
            for (int ep : bridged) {
                endpoints.put(ep, reads.get(ep));
                ArrayDeque<Arrival> q = buffered.remove(ep);
                if (q != null) {
                    left.put(ep, List.copyOf(q));
                }
            }
            bridged.clear();
            bytes = 0;
            report();
            return new Leftover(endpoints, left);
        }
    }

    /** Stops reading and drops what is kept; the holder gives the device back. */
    void stop() {
        stopReaders();
        synchronized (this) {
            unread += buffered.values().stream().mapToInt(ArrayDeque::size).sum();
            buffered.clear();
            bridged.clear();
            bytes = 0;
            report();
        }
    }

    /**
     * Ends a bridge no session took (the grace ran out, the device left, the core stops): wakes and stops the
     * readers, drops what they kept and gives the device back.
     */
    void close() {
        // told to stop before the abort wakes them: a read the abort ends is then not reported as a fault
        readers.values().forEach(r -> r.stop = true);
        hold.connection().abort(); // wakes reads on the virtual bus; releasing still works after it
        stopReaders();
        synchronized (this) {
            buffered.clear(); // the holder says why the bridge ended, and with it how much was kept
            bridged.clear();
            bytes = 0;
            report();
        }
        hold.releaseAndClose();
    }

    private final class Reader implements Runnable {
        final int endpoint;
        final EndpointRead how;
        final Thread thread;
        volatile boolean stop;

        Reader(int endpoint, EndpointRead how) {
            this.endpoint = endpoint;
            this.how = how;
            this.thread = new Thread(this, "usb-swap-" + hold.identity().key() + "-0x" + Integer.toHexString(endpoint));
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            DeviceConnection c = hold.connection();
            byte[] buffer = new byte[how.length()];
            while (!stop) {
                try {
                    int n = how.bulk() ? c.bulk(endpoint, buffer, buffer.length, READ_TIMEOUT_MS)
                            : c.interrupt(endpoint, buffer, buffer.length, READ_TIMEOUT_MS);
                    keep(endpoint, new Arrival(Arrays.copyOf(buffer, n), clock.getAsLong()));
                } catch (UsbException e) {
                    if (e.kind() != UsbException.Kind.TIMEOUT) {
                        // A STALL halts the endpoint until whoever reads it next clears it; GONE and CLOSED end
                        // the device or the bridge: either way the next reader meets it live.
                        if (e.kind() != UsbException.Kind.GONE && !stop) {
                            stoppedReading(endpoint, e);
                        }
                        return;
                    }
                }
                if (unasked(endpoint)) {
                    return;
                }
            }
        }
    }
}
