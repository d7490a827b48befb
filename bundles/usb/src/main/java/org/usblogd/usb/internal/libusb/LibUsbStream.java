package org.usblogd.usb.internal.libusb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.DeviceHandle;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;

/**
 * Keeps N transfers queued on an IN endpoint. Transfers are read back in submission order: the reader waits
 * for the oldest, copies it out and submits it again at the tail, so the device always finds N buffers.
 *
 * <p>{@link #close()} may come from any thread, any number of times, while the reader reads: the first
 * caller cancels the transfers (their callbacks run on the event thread, which is still running), waits for
 * them and frees them; every other caller waits until that is done, so whoever goes on to release the
 * interface or close the handle finds no transfer of the stream in flight. The reader looks at a transfer
 * only under the lock the transfers are freed under, and resubmits none once the stream is closed.
 */
final class LibUsbStream implements InStream {
    private static final Logger log = LoggerFactory.getLogger(LibUsbStream.class);
    private static final long CANCEL_WAIT_MS = 2_000;

    private final int endpoint;
    private final String who;
    private final String what;
    /** Also the lock the transfers are looked at, resubmitted and freed under. */
    private final Deque<LibUsbTransfer> order = new ArrayDeque<>();
    private final Consumer<List<LibUsbTransfer>> onClosed;
    private final Runnable onUnplugged;
    /** Under {@link #order}: no transfer is submitted once set. */
    private boolean closed;
    /** Under {@link #order}: the transfers are freed (or abandoned) and the owner was told. */
    private boolean finished;
    private volatile UsbException ended;
    private long completed;

    /**
     * @param onClosed runs once, when the stream has closed, with the transfers that were still in flight
     *            after the cancel (abandoned: to be freed once the handle is closed)
     */
    LibUsbStream(DeviceHandle handle, LibUsbConnections registry, int endpoint, TransferType type, int transferSize,
            int packetSize, int inFlight, String who, Consumer<List<LibUsbTransfer>> onClosed, Runnable onUnplugged)
            throws UsbException {
        this.endpoint = endpoint;
        this.who = who;
        this.onClosed = onClosed;
        this.onUnplugged = onUnplugged;
        this.what = type.name().toLowerCase() + " stream on endpoint 0x" + Integer.toHexString(endpoint);
        int[] packets = null;
        if (type == TransferType.ISOCHRONOUS) {
            int n = Math.max(1, transferSize / Math.max(1, packetSize));
            packets = new int[n];
            java.util.Arrays.fill(packets, packetSize);
            transferSize = n * packetSize;
        }
        try {
            for (int i = 0; i < inFlight; i++) {
                // No timeout: a stream waits for the device as long as it is open.
                LibUsbTransfer t = new LibUsbTransfer(handle, registry, endpoint, type, transferSize, packets, 0);
                synchronized (order) {
                    order.addLast(t);
                    t.submit(what, who);
                }
            }
        } catch (UsbException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public int endpoint() {
        return endpoint;
    }

    @Override
    public int read(byte[] buffer, int timeoutMs) throws UsbException {
        return next(buffer, null, timeoutMs)[0];
    }

    /** Failed packets are given as {@link InStream#MISSING}; only the transfer's own failure throws. */
    @Override
    public int readPackets(byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        return next(buffer, packetLengths, timeoutMs)[1];
    }

    /** The next transfer copied out: its bytes and its packets. */
    private synchronized int[] next(byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        if (ended != null) {
            throw ended;
        }
        LibUsbTransfer head;
        synchronized (order) {
            if (closed) {
                throw closedException();
            }
            head = order.peekFirst();
        }
        try {
            if (!head.awaitDone(timeoutMs)) {
                throw new UsbException(Kind.TIMEOUT, "nothing arrived on " + what + " within " + timeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsbException(Kind.CLOSED, what + " on " + who + " interrupted");
        }
        UsbException failure;
        int n;
        int packets;
        // close() frees the transfers once they are back, possibly while this reader wakes from the same
        // completion: a transfer is only looked at under the lock close() frees them under, and not after.
        synchronized (order) {
            if (closed) {
                throw closedException();
            }
            completed++;
            failure = head.failure(what, who);
            if (failure != null && (failure.kind() == Kind.GONE || failure.kind() == Kind.CLOSED)) {
                ended = failure;
                if (failure.kind() == Kind.GONE) {
                    onUnplugged.run();
                }
                throw failure;
            }
            n = failure == null ? head.copyTo(buffer, packetLengths, MISSING) : 0;
            packets = head.packets();
            order.removeFirst();
            order.addLast(head);
            head.submit(what, who);
        }
        if (failure != null) {
            throw failure;
        }
        return new int[] { n, packets };
    }

    @Override
    public synchronized long completed() {
        return completed;
    }

    private UsbException closedException() {
        return new UsbException(Kind.CLOSED, what + " on " + who + " is closed");
    }

    /**
     * Cancels and frees the transfers; returns once that is done, whichever thread does it. Not under the
     * stream's monitor: a reader blocked in read() holds it until its timeout.
     */
    @Override
    public void close() {
        LibUsbTransfer[] all;
        synchronized (order) {
            if (closed) {
                awaitFinished();
                return;
            }
            closed = true;
            all = order.toArray(new LibUsbTransfer[0]);
        }
        List<LibUsbTransfer> abandoned = new ArrayList<>();
        try {
            for (LibUsbTransfer t : all) {
                t.cancel();
            }
            // on the event thread (a departure reported from a hotplug callback) the callbacks cannot come
            // while this thread is inside one: what is still in flight is freed once the handle is closed
            long wait = LibUsbEventThread.isCurrentThread() ? 0 : CANCEL_WAIT_MS;
            long deadline = System.nanoTime() + wait * 1_000_000;
            boolean interrupted = false;
            for (LibUsbTransfer t : all) {
                try {
                    t.awaitDone(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            synchronized (order) {
                for (LibUsbTransfer t : all) {
                    if (!t.free()) {
                        abandoned.add(t);
                    }
                }
            }
            if (!abandoned.isEmpty() && wait > 0) {
                log.warn("{} on {}: {} transfer(s) did not come back after cancel; they are freed when the device"
                        + " is closed", what, who, abandoned.size());
            }
        } finally {
            // waiting closers go on first: the owner may close the handle now, and libusb's close waits for
            // the event thread, which may be one of them (a departure reported from a hotplug callback)
            synchronized (order) {
                finished = true;
                order.notifyAll();
            }
            onClosed.accept(abandoned);
        }
    }

    /**
     * Under {@link #order}: until the thread that closes the stream is done with its transfers; not on an
     * event thread, whose callbacks that thread may be waiting for (the handle stays open all the same,
     * until the stream has given its use of the connection back).
     */
    private void awaitFinished() {
        if (LibUsbEventThread.isCurrentThread()) {
            return;
        }
        boolean interrupted = false;
        while (!finished) {
            try {
                order.wait();
            } catch (InterruptedException e) {
                interrupted = true; // the caller's next step may be to close the handle: wait all the same
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
