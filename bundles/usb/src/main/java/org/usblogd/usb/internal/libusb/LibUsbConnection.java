package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * An open libusb device handle. Synchronous libusb transfers cannot be interrupted, so {@link #abort()}
 * only refuses further transfers; the transfer in progress ends at its timeout.
 */
final class LibUsbConnection implements DeviceConnection {
    private final DeviceHandle handle;
    private final String who;
    private volatile boolean closed;
    private boolean handleClosed;

    LibUsbConnection(DeviceHandle handle, String who) {
        this.handle = handle;
        this.who = who;
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

    @Override
    public void attachKernelDriver(int iface) throws UsbException {
        LibUsbErrors.check(LibUsb.attachKernelDriver(handle, iface), "re-attach kernel driver of interface " + iface,
                who);
    }

    @Override
    public void claimInterface(int iface) throws UsbException {
        check();
        LibUsbErrors.check(LibUsb.claimInterface(handle, iface), "claim interface " + iface, who);
    }

    @Override
    public void releaseInterface(int iface) throws UsbException {
        LibUsbErrors.check(LibUsb.releaseInterface(handle, iface), "release interface " + iface, who);
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        check();
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(length, 1));
        boolean in = (requestType & 0x80) != 0;
        if (!in) {
            buffer.put(data, 0, length).rewind();
        }
        buffer.limit(length);
        int r = LibUsb.controlTransfer(handle, (byte) requestType, (byte) request, (short) value, (short) index,
                buffer, timeoutMs);
        LibUsbErrors.check(r, String.format("control request %02x/%02x", requestType, request), who);
        if (in) {
            buffer.rewind();
            buffer.get(data, 0, r);
        }
        return r;
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
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(length, 1));
        boolean in = (endpoint & 0x80) != 0;
        if (!in) {
            buffer.put(data, 0, length).rewind();
        }
        buffer.limit(length);
        IntBuffer transferred = IntBuffer.allocate(1);
        int r = bulk ? LibUsb.bulkTransfer(handle, (byte) endpoint, buffer, transferred, timeoutMs)
                : LibUsb.interruptTransfer(handle, (byte) endpoint, buffer, transferred, timeoutMs);
        LibUsbErrors.check(r, (bulk ? "bulk" : "interrupt") + " transfer on endpoint 0x"
                + Integer.toHexString(endpoint), who);
        int n = transferred.get(0);
        if (in) {
            buffer.rewind();
            buffer.get(data, 0, n);
        }
        return n;
    }

    @Override
    public void abort() {
        closed = true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (!handleClosed) {
            handleClosed = true;
            LibUsb.close(handle);
        }
    }

    private void check() throws UsbException {
        if (closed) {
            throw new UsbException(UsbException.Kind.CLOSED, "connection to " + who + " is closed");
        }
    }
}
