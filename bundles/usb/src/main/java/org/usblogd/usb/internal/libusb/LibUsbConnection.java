package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
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
 */
final class LibUsbConnection implements DeviceConnection {
    private static final int POOLED_BUFFER_LIMIT = 64 * 1024;

    private final DeviceHandle handle;
    private final LibUsbDevice device;
    private final String who;
    private final LibUsbConnections registry;
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
    private final List<LibUsbStream> streams = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private boolean handleClosed;

    LibUsbConnection(DeviceHandle handle, LibUsbDevice device, LibUsbConnections registry) {
        this.handle = handle;
        this.device = device;
        this.who = device.describe();
        this.registry = registry;
    }

    @Override
    public boolean kernelDriverActive(int iface) throws UsbException {
        check();
        int r = LibUsb.kernelDriverActive(handle, iface);
        if (r == LibUsb.ERROR_NOT_SUPPORTED) {
            return false;
        }
        LibUsbErrors.check(r, "query kernel driver of interface " + iface, who);
        return r == 1;
    }

    @Override
    public void detachKernelDriver(int iface) throws UsbException {
        check();
        LibUsbErrors.check(LibUsb.detachKernelDriver(handle, iface), "detach kernel driver of interface " + iface,
                who);
    }

    /** Allowed after {@link #abort()}, which leaves the handle open for giving the device back. */
    @Override
    public synchronized void attachKernelDriver(int iface) throws UsbException {
        checkHandle();
        LibUsbErrors.check(LibUsb.attachKernelDriver(handle, iface), "re-attach kernel driver of interface " + iface,
                who);
    }

    @Override
    public void claimInterface(int iface) throws UsbException {
        check();
        int r = LibUsb.claimInterface(handle, iface);
        if (r == LibUsb.ERROR_BUSY) {
            throw new UsbException(Kind.BUSY, "claim interface " + iface + " on " + who + " failed: interface "
                    + iface + " is claimed by another program or kernel driver; find it with 'lsof " + device.node()
                    + "' and stop it");
        }
        LibUsbErrors.check(r, "claim interface " + iface, who);
    }

    @Override
    public synchronized void releaseInterface(int iface) throws UsbException {
        checkHandle();
        LibUsbErrors.check(LibUsb.releaseInterface(handle, iface), "release interface " + iface, who);
    }

    @Override
    public int activeConfiguration() throws UsbException {
        check();
        IntBuffer value = IntBuffer.allocate(1);
        LibUsbErrors.check(LibUsb.getConfiguration(handle, value), "read the active configuration", who);
        return value.get(0);
    }

    @Override
    public void setConfiguration(int value) throws UsbException {
        check();
        LibUsbErrors.check(LibUsb.setConfiguration(handle, value), "select configuration " + value, who);
    }

    @Override
    public void setAlternateSetting(int iface, int alternate) throws UsbException {
        check();
        LibUsbErrors.check(LibUsb.setInterfaceAltSetting(handle, iface, alternate),
                "select alternate setting " + alternate + " of interface " + iface, who);
    }

    @Override
    public void clearHalt(int endpoint) throws UsbException {
        check();
        LibUsbErrors.check(LibUsb.clearHalt(handle, (byte) endpoint),
                "clear halt on endpoint 0x" + Integer.toHexString(endpoint), who);
    }

    @Override
    public void resetDevice() throws UsbException {
        check();
        int r = LibUsb.resetDevice(handle);
        if (r == LibUsb.ERROR_NOT_FOUND) {
            throw new UsbException(Kind.GONE, "reset of " + who + ": the device came back different and must be"
                    + " enumerated again");
        }
        LibUsbErrors.check(r, "reset", who);
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        check();
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
        check();
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
            if (r < 0) {
                throw seen(LibUsbErrors.exception(r, (bulk ? "bulk" : "interrupt") + " transfer on endpoint 0x"
                        + Integer.toHexString(endpoint), who));
            }
            int n = transferred.get(0);
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
        check();
        int total = 0;
        for (int l : packetLengths) {
            total += l;
        }
        LibUsbTransfer t = new LibUsbTransfer(handle, endpoint, TransferType.ISOCHRONOUS, total, packetLengths,
                timeoutMs);
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
            throw new UsbException(Kind.CLOSED, what + " on " + who + " interrupted");
        } finally {
            t.free();
        }
    }

    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        check();
        UsbEndpointInfo ep = device.info().endpoint(endpoint).orElseThrow(() -> new UsbException(Kind.OTHER,
                "endpoint 0x" + Integer.toHexString(endpoint) + " is not in the active configuration of " + who));
        if (ep.type() == TransferType.CONTROL) {
            throw new UsbException(Kind.OTHER, "control endpoints cannot be streamed");
        }
        int packet = ep.maxPacketSize() & 0x7FF;
        LibUsbStream[] self = new LibUsbStream[1];
        LibUsbStream s = new LibUsbStream(handle, endpoint, ep.type(), transferSize, packet, inFlight, who,
                () -> streams.remove(self[0]), registry::unplugged);
        self[0] = s;
        streams.add(s);
        return s;
    }

    @Override
    public void abort() {
        closed = true;
        streams.forEach(LibUsbStream::close);
    }

    @Override
    public void close() {
        closed = true;
        streams.forEach(LibUsbStream::close);
        synchronized (this) {
            if (handleClosed) {
                return;
            }
            handleClosed = true;
            LibUsb.close(handle);
        }
        registry.closed(this);
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

    /** A closed handle is freed memory, and its context may be exited already. */
    private void checkHandle() throws UsbException {
        if (handleClosed) {
            throw new UsbException(Kind.CLOSED, "connection to " + who + " is closed");
        }
    }

    private void check() throws UsbException {
        if (closed) {
            throw new UsbException(Kind.CLOSED, "connection to " + who + " is closed");
        }
    }
}
