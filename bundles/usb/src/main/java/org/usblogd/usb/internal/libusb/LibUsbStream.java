package org.usblogd.usb.internal.libusb;

import java.util.ArrayDeque;
import java.util.Deque;

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
 */
final class LibUsbStream implements InStream {
    private static final Logger log = LoggerFactory.getLogger(LibUsbStream.class);
    private static final long CANCEL_WAIT_MS = 2_000;

    private final int endpoint;
    private final String who;
    private final String what;
    private final Deque<LibUsbTransfer> order = new ArrayDeque<>();
    private final Runnable onClose;
    private final Runnable onUnplugged;
    private volatile boolean closed;
    private volatile UsbException ended;
    private long completed;

    LibUsbStream(DeviceHandle handle, int endpoint, TransferType type, int transferSize, int packetSize,
            int inFlight, String who, Runnable onClose, Runnable onUnplugged) throws UsbException {
        this.endpoint = endpoint;
        this.who = who;
        this.onClose = onClose;
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
                LibUsbTransfer t = new LibUsbTransfer(handle, endpoint, type, transferSize, packets, 0);
                order.addLast(t);
                t.submit(what, who);
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
    public synchronized int read(byte[] buffer, int timeoutMs) throws UsbException {
        if (ended != null) {
            throw ended;
        }
        if (closed) {
            throw new UsbException(Kind.CLOSED, what + " on " + who + " is closed");
        }
        LibUsbTransfer head = order.peekFirst();
        try {
            if (!head.awaitDone(timeoutMs)) {
                throw new UsbException(Kind.TIMEOUT, "nothing arrived on " + what + " within " + timeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsbException(Kind.CLOSED, what + " on " + who + " interrupted");
        }
        completed++;
        UsbException failure;
        int n;
        // close() frees the transfers once they are back, possibly while this reader wakes from the same
        // completion: a transfer is only looked at under the lock close() frees them under, and not after.
        synchronized (order) {
            if (closed) {
                throw new UsbException(Kind.CLOSED, what + " on " + who + " is closed");
            }
            failure = head.failure(what, who);
            if (failure != null && (failure.kind() == Kind.GONE || failure.kind() == Kind.CLOSED)) {
                ended = failure;
                if (failure.kind() == Kind.GONE) {
                    onUnplugged.run();
                }
                throw failure;
            }
            n = failure == null ? head.copyTo(buffer, null) : 0;
            order.removeFirst();
            order.addLast(head);
            head.submit(what, who);
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    @Override
    public synchronized long completed() {
        return completed;
    }

    @Override
    public void close() {
        // Not under the stream's monitor: a reader blocked in read() holds it until its timeout.
        LibUsbTransfer[] all;
        synchronized (order) {
            if (closed) {
                return;
            }
            closed = true;
            all = order.toArray(new LibUsbTransfer[0]);
        }
        for (LibUsbTransfer t : all) {
            t.cancel();
        }
        for (LibUsbTransfer t : all) {
            try {
                t.awaitDone(CANCEL_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int leaked = 0;
        synchronized (order) {
            for (LibUsbTransfer t : all) {
                if (!t.free()) {
                    leaked++;
                }
            }
        }
        if (leaked > 0) {
            log.warn("{} on {}: {} transfer(s) did not come back after cancel; left to libusb", what, who, leaked);
        }
        onClose.run();
    }
}
