package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;

import org.usb4java.DeviceHandle;
import org.usb4java.IsoPacketDescriptor;
import org.usb4java.LibUsb;
import org.usb4java.Transfer;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;

/**
 * One asynchronous libusb transfer that can be submitted again and again. libusb calls back on the
 * context's event thread; the owner waits for the completion here.
 *
 * <p>Every use of the native transfer happens under this object's lock, and none after {@link #free()}:
 * a cancel, a status read or a copy that comes too late finds the transfer freed and leaves native memory
 * alone. A transfer in flight is never freed: {@link #free()} then abandons it, and the connection frees it
 * once its handle is closed (libusb's close takes it off the context's list of transfers in flight, after
 * which libusb never touches it again). The context counts the transfers not yet freed: it is not exited
 * while one is left.
 */
final class LibUsbTransfer {
    private final Transfer transfer;
    private final ByteBuffer buffer;
    private final boolean iso;
    private final int packetCount;
    private final LibUsbConnections registry;
    /** Submitted, and the callback has not run yet: libusb owns the transfer. */
    private boolean inFlight;
    /** Completed since the last submission (or never submitted). */
    private boolean done;
    /** A cancellation was asked for the current submission. */
    private boolean cancelling;
    /** Still in flight when it was to be freed: nothing touches it until its handle is closed. */
    private boolean abandoned;
    private boolean freed;

    LibUsbTransfer(DeviceHandle handle, LibUsbConnections registry, int endpoint, TransferType type, int size,
            int[] isoPacketLengths, int timeoutMs) throws UsbException {
        this.iso = type == TransferType.ISOCHRONOUS;
        this.registry = registry;
        if (type != TransferType.BULK && type != TransferType.INTERRUPT && !iso) {
            throw new IllegalArgumentException(type + " transfers are not streamed");
        }
        // usb4java takes the transfer length from the buffer's capacity.
        this.buffer = ByteBuffer.allocateDirect(size);
        int packets = iso ? isoPacketLengths.length : 0;
        this.packetCount = packets;
        this.transfer = LibUsb.allocTransfer(packets);
        if (transfer == null) {
            throw new UsbException(Kind.OTHER, "libusb could not allocate a transfer");
        }
        if (!registry.transferAllocated()) {
            LibUsb.freeTransfer(transfer);
            throw new UsbException(Kind.CLOSED, "the libusb context is being shut down");
        }
        switch (type) {
        case BULK:
            LibUsb.fillBulkTransfer(transfer, handle, (byte) endpoint, buffer, this::completed, null, timeoutMs);
            break;
        case INTERRUPT:
            LibUsb.fillInterruptTransfer(transfer, handle, (byte) endpoint, buffer, this::completed, null, timeoutMs);
            break;
        default:
            LibUsb.fillIsoTransfer(transfer, handle, (byte) endpoint, buffer, packets, this::completed, null,
                    timeoutMs);
            IsoPacketDescriptor[] descs = transfer.isoPacketDesc();
            for (int i = 0; i < packets; i++) {
                descs[i].setLength(isoPacketLengths[i]);
            }
            break;
        }
        done = true;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    synchronized void submit(String what, String who) throws UsbException {
        if (freed || abandoned) {
            throw new UsbException(Kind.CLOSED, what + " on " + who + " is closed");
        }
        if (inFlight) {
            throw new IllegalStateException(what + " on " + who + ": transfer submitted while in flight");
        }
        done = false;
        cancelling = false;
        int r = LibUsb.submitTransfer(transfer);
        if (r != LibUsb.SUCCESS) {
            done = true;
            throw LibUsbErrors.exception(r, what, who);
        }
        inFlight = true;
    }

    /** On the event thread, from inside libusb: nothing here may wait for anything but this lock. */
    private void completed(Transfer t) {
        synchronized (this) {
            inFlight = false;
            done = true;
            notifyAll();
        }
    }

    /**
     * @return whether the transfer completed within the time, or was freed or abandoned meanwhile (the
     *         owner then finds it closed)
     */
    synchronized boolean awaitDone(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!done && !freed && !abandoned) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return true;
    }

    synchronized boolean inFlight() {
        return inFlight;
    }

    /**
     * Asks libusb to cancel the transfer if it is in flight; its callback still runs, on the event thread,
     * which must therefore keep running until the owner has seen it. Under the lock that freeing takes, so
     * a transfer that completed and was freed meanwhile is left alone.
     */
    synchronized void cancel() {
        if (inFlight && !cancelling && !freed && !abandoned) {
            cancelling = true;
            LibUsb.cancelTransfer(transfer);
        }
    }

    /** The completed transfer's failure, or null when it succeeded. */
    synchronized UsbException failure(String what, String who) {
        if (freed || abandoned) {
            return new UsbException(Kind.CLOSED, what + " on " + who + " is closed");
        }
        int status = transfer.status();
        switch (status) {
        case LibUsb.TRANSFER_COMPLETED:
            return null;
        case LibUsb.TRANSFER_TIMED_OUT:
            return new UsbException(Kind.TIMEOUT, what + " on " + who + " timed out");
        case LibUsb.TRANSFER_STALL:
            return new UsbException(Kind.STALL, what + " on " + who + " stalled; clear the halt before retrying");
        case LibUsb.TRANSFER_NO_DEVICE:
            return new UsbException(Kind.GONE, what + " on " + who + " failed: the device was unplugged");
        case LibUsb.TRANSFER_OVERFLOW:
            return new UsbException(Kind.OVERFLOW, what + " on " + who + ": the device sent more than was asked for");
        case LibUsb.TRANSFER_CANCELLED:
            return new UsbException(Kind.CLOSED, what + " on " + who + " was cancelled");
        default:
            return new UsbException(Kind.OTHER, what + " on " + who + " failed (transfer status " + status + ")");
        }
    }

    /**
     * Copies what arrived into {@code into}; for isochronous transfers the packets' data back to back, and
     * each packet's actual length into {@code packetLengths} when given (as many as it holds), a failed
     * packet's as 0. Nothing from a freed transfer.
     */
    synchronized int copyTo(byte[] into, int[] packetLengths) {
        return copyTo(into, packetLengths, 0);
    }

    /**
     * As {@link #copyTo(byte[], int[])}, with a failed packet's length given as {@code failed}.
     *
     * @return the bytes copied
     */
    synchronized int copyTo(byte[] into, int[] packetLengths, int failed) {
        if (freed || abandoned || inFlight) {
            return 0;
        }
        if (!iso) {
            int n = Math.min(transfer.actualLength(), into.length);
            buffer.get(0, into, 0, n);
            if (packetLengths != null && packetLengths.length > 0) {
                packetLengths[0] = n;
            }
            return n;
        }
        IsoPacketDescriptor[] descs = transfer.isoPacketDesc();
        int offset = 0;
        int written = 0;
        for (int i = 0; i < descs.length; i++) {
            boolean ok = descs[i].status() == LibUsb.TRANSFER_COMPLETED;
            int actual = ok ? descs[i].actualLength() : 0;
            int n = Math.min(actual, into.length - written);
            buffer.get(offset, into, written, n);
            written += n;
            if (packetLengths != null && i < packetLengths.length) {
                packetLengths[i] = ok ? n : failed;
            }
            offset += descs[i].length();
        }
        return written;
    }

    /** Packets of the transfer: 1 for bulk and interrupt. */
    int packets() {
        return iso ? packetCount : 1;
    }

    /**
     * Frees the native transfer unless libusb still owns it: then it is abandoned (never touched again by
     * this object) and must be handed to {@link #freeAbandoned()} once its handle is closed. Idempotent.
     *
     * @return whether the transfer is freed
     */
    boolean free() {
        synchronized (this) {
            if (freed) {
                return true;
            }
            if (inFlight) {
                abandoned = true;
                notifyAll();
                return false;
            }
            release();
        }
        registry.transferFreed();
        return true;
    }

    /**
     * Frees an abandoned transfer after its handle was closed: libusb's close took it off the list of
     * transfers in flight (and the kernel dropped its URBs with the file), so libusb no longer knows it.
     */
    void freeAbandoned() {
        synchronized (this) {
            if (freed) {
                return;
            }
            release();
        }
        registry.transferFreed();
    }

    private void release() {
        freed = true;
        inFlight = false;
        LibUsb.freeTransfer(transfer);
        notifyAll();
    }
}
