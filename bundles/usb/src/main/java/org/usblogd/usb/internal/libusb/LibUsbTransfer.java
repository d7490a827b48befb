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
 * backend's event thread; the owner waits for the completion here. A transfer in flight must never be
 * freed, so {@link #free()} refuses while libusb still owns it.
 */
final class LibUsbTransfer {
    private final Transfer transfer;
    private final ByteBuffer buffer;
    private final boolean iso;
    private boolean inFlight;
    private boolean done;

    LibUsbTransfer(DeviceHandle handle, int endpoint, TransferType type, int size, int[] isoPacketLengths,
            int timeoutMs) {
        this.iso = type == TransferType.ISOCHRONOUS;
        // usb4java takes the transfer length from the buffer's capacity.
        this.buffer = ByteBuffer.allocateDirect(size);
        int packets = iso ? isoPacketLengths.length : 0;
        this.transfer = LibUsb.allocTransfer(packets);
        switch (type) {
        case BULK:
            LibUsb.fillBulkTransfer(transfer, handle, (byte) endpoint, buffer, this::completed, null, timeoutMs);
            break;
        case INTERRUPT:
            LibUsb.fillInterruptTransfer(transfer, handle, (byte) endpoint, buffer, this::completed, null, timeoutMs);
            break;
        case ISOCHRONOUS:
            LibUsb.fillIsoTransfer(transfer, handle, (byte) endpoint, buffer, packets, this::completed, null,
                    timeoutMs);
            IsoPacketDescriptor[] descs = transfer.isoPacketDesc();
            for (int i = 0; i < packets; i++) {
                descs[i].setLength(isoPacketLengths[i]);
            }
            break;
        default:
            LibUsb.freeTransfer(transfer);
            throw new IllegalArgumentException(type + " transfers are not streamed");
        }
    }

    ByteBuffer buffer() {
        return buffer;
    }

    synchronized void submit(String what, String who) throws UsbException {
        done = false;
        int r = LibUsb.submitTransfer(transfer);
        if (r != LibUsb.SUCCESS) {
            done = true;
            throw LibUsbErrors.exception(r, what, who);
        }
        inFlight = true;
    }

    private void completed(Transfer t) {
        synchronized (this) {
            inFlight = false;
            done = true;
            notifyAll();
        }
    }

    /** @return whether the transfer completed within the time */
    synchronized boolean awaitDone(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!done) {
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

    void cancel() {
        if (inFlight()) {
            LibUsb.cancelTransfer(transfer);
        }
    }

    /** The completed transfer's failure, or null when it succeeded. */
    UsbException failure(String what, String who) {
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
     * each packet's actual length into {@code packetLengths} when given.
     */
    int copyTo(byte[] into, int[] packetLengths) {
        if (!iso) {
            int n = Math.min(transfer.actualLength(), into.length);
            buffer.get(0, into, 0, n);
            return n;
        }
        IsoPacketDescriptor[] descs = transfer.isoPacketDesc();
        int offset = 0;
        int written = 0;
        for (int i = 0; i < descs.length; i++) {
            int actual = descs[i].status() == LibUsb.TRANSFER_COMPLETED ? descs[i].actualLength() : 0;
            int n = Math.min(actual, into.length - written);
            buffer.get(offset, into, written, n);
            written += n;
            if (packetLengths != null) {
                packetLengths[i] = n;
            }
            offset += descs[i].length();
        }
        return written;
    }

    /** Frees the native transfer unless libusb still owns it (then it is leaked rather than corrupted). */
    synchronized boolean free() {
        if (inFlight) {
            return false;
        }
        LibUsb.freeTransfer(transfer);
        return true;
    }
}
