package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * An open libusb device handle. Synchronous libusb transfers cannot be interrupted, so {@link #abort()}
 * refuses further transfers and cancels the streams; a synchronous transfer in progress ends at its
 * timeout. Native buffers are pooled per connection, so a transfer costs no allocation.
 *
 * <p>A closed handle is freed memory, and so are the transfers libusb's close finds in flight (it clears
 * their handle, so a later cancel dereferences null). So every call on the handle, and every open stream,
 * holds a use of the connection, and the handle is closed only once none is left: by {@link #close()} when
 * it finds none, otherwise by the last call or stream to end. In that order: the streams' transfers
 * cancelled (their callbacks run, the event thread still running) and freed, then the handle closed, then
 * any transfer that never came back freed, then the context told, which may exit it. Anything asked of a
 * closed connection is refused with {@link Kind#CLOSED}.
 */
final class LibUsbConnection implements DeviceConnection {
    private static final int POOLED_BUFFER_LIMIT = 64 * 1024;
    /** How long close() waits for a stream another thread is closing to give the handle back. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final DeviceHandle handle;
    private final LibUsbDevice device;
    private final String who;
    private final LibUsbConnections registry;
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
    private final List<LibUsbStream> streams = new CopyOnWriteArrayList<>();
    /** By abort or close: no new transfer, no new stream. */
    private volatile boolean closed;
    /** Under this: close was asked for; only the handle's close is still to come. */
    private boolean closing;
    /** Under this: calls on the handle under way. */
    private int calls;
    /** Under this: streams not yet closed (closing ones included: their transfers need the handle). */
    private int streamsOpen;
    /** Under this: the handle is being closed, or closed. */
    private boolean handleClosed;
    /** Under this: the handle is closed, its left-over transfers freed and the context told. */
    private boolean closeDone;
    /** Under this: transfers that did not come back after a cancel, freed once the handle is closed. */
    private final List<LibUsbTransfer> abandoned = new ArrayList<>();
    /** The alternate setting selected on each interface: a stream takes its endpoint's packet size from it. */
    private final java.util.Map<Integer, Integer> alternates = new java.util.concurrent.ConcurrentHashMap<>();

    LibUsbConnection(DeviceHandle handle, LibUsbDevice device, LibUsbConnections registry) {
        this.handle = handle;
        this.device = device;
        this.who = device.describe();
        this.registry = registry;
    }

    @Override
    public boolean kernelDriverActive(int iface) throws UsbException {
        enter(false);
        try {
            int r = LibUsb.kernelDriverActive(handle, iface);
            if (r == LibUsb.ERROR_NOT_SUPPORTED) {
                return false;
            }
            LibUsbErrors.check(r, "query kernel driver of interface " + iface, who);
            return r == 1;
        } finally {
            leave();
        }
    }

    @Override
    public void detachKernelDriver(int iface) throws UsbException {
        enter(false);
        try {
            LibUsbErrors.check(LibUsb.detachKernelDriver(handle, iface), "detach kernel driver of interface "
                    + iface, who);
        } finally {
            leave();
        }
    }

    /** Allowed after {@link #abort()}, which leaves the handle open for giving the device back. */
    @Override
    public void attachKernelDriver(int iface) throws UsbException {
        enter(true);
        try {
            LibUsbErrors.check(LibUsb.attachKernelDriver(handle, iface), "re-attach kernel driver of interface "
                    + iface, who);
        } finally {
            leave();
        }
    }

    @Override
    public void claimInterface(int iface) throws UsbException {
        enter(false);
        try {
            int r = LibUsb.claimInterface(handle, iface);
            if (r == LibUsb.ERROR_BUSY) {
                throw new UsbException(Kind.BUSY, "claim interface " + iface + " on " + who + " failed: interface "
                        + iface + " is claimed by another program or kernel driver; find it with 'lsof "
                        + device.node() + "' and stop it");
            }
            LibUsbErrors.check(r, "claim interface " + iface, who);
        } finally {
            leave();
        }
    }

    /** Allowed after {@link #abort()}, once the streams it closed are done. */
    @Override
    public void releaseInterface(int iface) throws UsbException {
        enter(true);
        try {
            alternates.remove(iface); // the kernel selects setting 0 again on release
            LibUsbErrors.check(LibUsb.releaseInterface(handle, iface), "release interface " + iface, who);
        } finally {
            leave();
        }
    }

    @Override
    public int activeConfiguration() throws UsbException {
        enter(false);
        try {
            IntBuffer value = IntBuffer.allocate(1);
            LibUsbErrors.check(LibUsb.getConfiguration(handle, value), "read the active configuration", who);
            return value.get(0);
        } finally {
            leave();
        }
    }

    @Override
    public void setConfiguration(int value) throws UsbException {
        enter(false);
        try {
            LibUsbErrors.check(LibUsb.setConfiguration(handle, value), "select configuration " + value, who);
        } finally {
            leave();
        }
    }

    @Override
    public void setAlternateSetting(int iface, int alternate) throws UsbException {
        enter(false);
        try {
            LibUsbErrors.check(LibUsb.setInterfaceAltSetting(handle, iface, alternate),
                    "select alternate setting " + alternate + " of interface " + iface, who);
            alternates.put(iface, alternate);
        } finally {
            leave();
        }
    }

    @Override
    public void clearHalt(int endpoint) throws UsbException {
        enter(false);
        try {
            LibUsbErrors.check(LibUsb.clearHalt(handle, (byte) endpoint),
                    "clear halt on endpoint 0x" + Integer.toHexString(endpoint), who);
        } finally {
            leave();
        }
    }

    @Override
    public void resetDevice() throws UsbException {
        enter(false);
        try {
            int r = LibUsb.resetDevice(handle);
            if (r == LibUsb.ERROR_NOT_FOUND) {
                throw new UsbException(Kind.GONE, "reset of " + who + ": the device came back different and must"
                        + " be enumerated again");
            }
            LibUsbErrors.check(r, "reset", who);
        } finally {
            leave();
        }
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        enter(false);
        try {
            return controlTransfer(requestType, request, value, index, data, length, timeoutMs);
        } finally {
            leave();
        }
    }

    private int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
            int timeoutMs) throws UsbException {
        ByteBuffer pooled = take(length);
        // usb4java takes the transfer length from the buffer's capacity: hand it an exact slice.
        ByteBuffer buffer = pooled.slice(0, length);
        try {
            boolean in = (requestType & 0x80) != 0;
            if (!in) {
                buffer.put(0, data, 0, length);
            }
            int r = LibUsb.controlTransfer(handle, (byte) requestType, (byte) request, (short) value, (short) index,
                    buffer, timeoutMs);
            if (r < 0) {
                throw seen(LibUsbErrors.exception(r, String.format("control request %02x/%02x", requestType, request),
                        who));
            }
            if (in) {
                buffer.get(0, data, 0, r);
            }
            return r;
        } finally {
            give(pooled);
        }
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return transfer(true, endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return transfer(false, endpoint, buffer, length, timeoutMs);
    }

    private int transfer(boolean bulk, int endpoint, byte[] data, int length, int timeoutMs) throws UsbException {
        enter(false);
        try {
            return syncTransfer(bulk, endpoint, data, length, timeoutMs);
        } finally {
            leave();
        }
    }

    private int syncTransfer(boolean bulk, int endpoint, byte[] data, int length, int timeoutMs)
            throws UsbException {
        ByteBuffer pooled = take(length);
        ByteBuffer buffer = pooled.slice(0, length); // exact capacity, as for control transfers
        try {
            boolean in = (endpoint & 0x80) != 0;
            if (!in) {
                buffer.put(0, data, 0, length);
            }
            IntBuffer transferred = IntBuffer.allocate(1);
            int r = bulk ? LibUsb.bulkTransfer(handle, (byte) endpoint, buffer, transferred, timeoutMs)
                    : LibUsb.interruptTransfer(handle, (byte) endpoint, buffer, transferred, timeoutMs);
            int n = transferred.get(0);
            // A timeout after some packets arrived still brought them: they are the caller's, not lost.
            if (r < 0 && !(r == LibUsb.ERROR_TIMEOUT && in && n > 0)) {
                throw seen(LibUsbErrors.exception(r, (bulk ? "bulk" : "interrupt") + " transfer on endpoint 0x"
                        + Integer.toHexString(endpoint), who));
            }
            if (in) {
                buffer.get(0, data, 0, n);
            }
            return n;
        } finally {
            give(pooled);
        }
    }

    @Override
    public int isochronous(int endpoint, byte[] data, int[] packetLengths, int timeoutMs) throws UsbException {
        enter(false);
        try {
            return isochronousTransfer(endpoint, data, packetLengths, timeoutMs);
        } finally {
            leave();
        }
    }

    private int isochronousTransfer(int endpoint, byte[] data, int[] packetLengths, int timeoutMs)
            throws UsbException {
        int total = 0;
        for (int l : packetLengths) {
            total += l;
        }
        LibUsbTransfer t = new LibUsbTransfer(handle, registry, endpoint, TransferType.ISOCHRONOUS, total,
                packetLengths, timeoutMs);
        String what = "isochronous transfer on endpoint 0x" + Integer.toHexString(endpoint);
        boolean in = (endpoint & 0x80) != 0;
        if (!in) {
            t.buffer().put(0, data, 0, total);
        }
        try {
            t.submit(what, who);
            // libusb times the transfer out itself; the margin only guards against a dead event thread.
            if (!t.awaitDone(timeoutMs + 2_000L)) {
                t.cancel();
                t.awaitDone(2_000);
                throw new UsbException(Kind.OTHER, what + " on " + who
                        + " never completed: the USB event thread is not running");
            }
            UsbException failure = t.failure(what, who);
            if (failure != null) {
                throw seen(failure);
            }
            return t.copyTo(in ? data : new byte[total], packetLengths);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.cancel();
            try {
                t.awaitDone(2_000);
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
            throw new UsbException(Kind.CLOSED, what + " on " + who + " interrupted");
        } finally {
            if (!t.free()) {
                synchronized (this) {
                    abandoned.add(t); // freed with the handle: this call's use keeps it open until then
                }
            }
        }
    }

    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        enter(false);
        try {
            UsbEndpointInfo ep = device.info().endpoint(endpoint, i -> alternates.getOrDefault(i, 0))
                    .orElseThrow(() -> new UsbException(Kind.OTHER, "endpoint 0x" + Integer.toHexString(endpoint)
                            + " is not in the selected alternate settings of " + who
                            + "; select the setting that has it first"));
            if (ep.type() == TransferType.CONTROL) {
                throw new UsbException(Kind.OTHER, "control endpoints cannot be streamed");
            }
            // a high-bandwidth endpoint moves up to three transactions per microframe, all in one packet
            int packet = ep.bytesPerInterval();
            LibUsbStream[] self = new LibUsbStream[1];
            synchronized (this) {
                streamsOpen++; // given back when the stream has closed
            }
            // if the stream fails to start, it has closed itself, and given the use back, when it throws
            LibUsbStream s = new LibUsbStream(handle, registry, endpoint, ep.type(), transferSize, packet, inFlight,
                    who, left -> streamClosed(self[0], left), registry::unplugged);
            self[0] = s;
            boolean refused;
            synchronized (this) {
                refused = closed;
                if (!refused) {
                    streams.add(s);
                }
            }
            if (refused) {
                s.close(); // aborted or closed while the stream started: close() could not see it
                throw closedException();
            }
            return s;
        } finally {
            leave();
        }
    }

    private void streamClosed(LibUsbStream s, List<LibUsbTransfer> left) {
        if (s != null) {
            streams.remove(s);
        }
        synchronized (this) {
            abandoned.addAll(left);
            streamsOpen--;
        }
        closeIfLast();
    }

    /** Refuses new transfers and streams, and closes the streams; the handle stays open for giving the device back. */
    @Override
    public void abort() {
        synchronized (this) {
            closed = true;
        }
        streams.forEach(LibUsbStream::close);
    }

    /**
     * Closes the streams (each close returns once its transfers are freed, whichever thread closes it), then
     * the handle. Returns once the handle is closed, unless a call is under way on another thread: then the
     * handle is closed when that call ends. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            closing = true;
        }
        streams.forEach(LibUsbStream::close);
        closeIfLast();
        if (LibUsbEventThread.isCurrentThread()) {
            return; // whoever closes the handle waits for this thread to leave libusb's event handling
        }
        // a stream another thread is closing gives the handle back in a moment: the handle is closed then
        boolean interrupted = false;
        synchronized (this) {
            long deadline = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000;
            while (!closeDone && calls == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A call on the handle begins; refused once closed ({@code afterAbort}: once close was asked for). */
    private void enter(boolean afterAbort) throws UsbException {
        synchronized (this) {
            if (!handleClosed && !closing && (afterAbort || !closed)) {
                calls++;
                return;
            }
        }
        throw closedException();
    }

    private void leave() {
        synchronized (this) {
            calls--;
        }
        closeIfLast();
    }

    /**
     * Closes the handle if close was asked for and nothing uses it any more: no call under way, no stream
     * whose transfers may still be in flight. Then frees what libusb's close took off its list of transfers
     * in flight, then tells the context, which may be exited from then on.
     */
    private void closeIfLast() {
        List<LibUsbTransfer> left;
        synchronized (this) {
            if (!closing || calls > 0 || streamsOpen > 0 || handleClosed) {
                return;
            }
            handleClosed = true;
            left = List.copyOf(abandoned);
            abandoned.clear();
        }
        try {
            LibUsb.close(handle);
            left.forEach(LibUsbTransfer::freeAbandoned);
        } finally {
            registry.closed(this);
            synchronized (this) {
                closeDone = true;
                notifyAll();
            }
        }
    }

    /** Whether the native handle is closed (tests). */
    synchronized boolean handleClosed() {
        return closeDone;
    }

    /** A pooled direct buffer of at least {@code length} bytes; give it back with {@link #give}. */
    private ByteBuffer take(int length) {
        ByteBuffer b = buffers.poll();
        return b != null && b.capacity() >= length ? b : ByteBuffer.allocateDirect(Math.max(length, 64));
    }

    private void give(ByteBuffer b) {
        if (b.capacity() <= POOLED_BUFFER_LIMIT && buffers.size() < 4) {
            buffers.offer(b);
        }
    }

    /** Tells the backend when a transfer found the device unplugged, before its departure is noticed. */
    private UsbException seen(UsbException e) {
        if (e.kind() == Kind.GONE) {
            registry.unplugged();
        }
        return e;
    }

    private UsbException closedException() {
        return new UsbException(Kind.CLOSED, "connection to " + who + " is closed");
    }
}
