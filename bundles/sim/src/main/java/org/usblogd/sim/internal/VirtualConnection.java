package org.usblogd.sim.internal;

import java.util.Arrays;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.sim.host.HostDeviceState;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.DeviceConnection;

/** A host's open handle on a virtual device; turns host transfers into model calls under the device lock. */
final class VirtualConnection implements DeviceConnection {
    private final VirtualDevice device;
    private boolean aborted;

    VirtualConnection(VirtualDevice device) {
        this.device = device;
    }

    @Override
    public boolean kernelDriverActive(int iface) throws UsbException {
        device.lock.lock();
        try {
            check();
            return device.host().kernelDriver(iface) != null;
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void detachKernelDriver(int iface) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().detachKernelDriver(iface);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void attachKernelDriver(int iface) throws UsbException {
        device.lock.lock();
        try {
            device.requirePlugged(); // an aborted connection must still give the interface back
            device.host().attachKernelDriver(iface);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void claimInterface(int iface) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().claim(iface);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void releaseInterface(int iface) throws UsbException {
        device.lock.lock();
        try {
            device.requirePlugged();
            device.host().release(iface);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        ControlSetup setup = new ControlSetup(requestType, request, value, index, length);
        device.lock.lock();
        try {
            check();
            try {
                if (setup.isIn()) {
                    byte[] reply = device.model().controlIn(setup);
                    int n = Math.min(reply.length, length);
                    System.arraycopy(reply, 0, data, 0, n);
                    return n;
                }
                device.model().controlOut(setup, Arrays.copyOf(data, length));
                return length;
            } finally {
                device.changed.signalAll();
            }
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return transfer(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return transfer(endpoint, buffer, length, timeoutMs);
    }

    private int transfer(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().requireClaimedFor(endpoint);
            device.host().requireNotHalted(endpoint);
            if ((endpoint & 0x80) == 0) {
                try {
                    device.model().out(endpoint, Arrays.copyOf(buffer, length));
                } catch (UsbException e) {
                    device.host().failed(endpoint, e);
                    throw e;
                }
                device.changed.signalAll();
                return length;
            }
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                long now = System.nanoTime();
                byte[] packet = device.model().in(endpoint, now);
                if (packet != null) {
                    if (packet.length > length) {
                        throw new UsbException(Kind.OVERFLOW, "device sent " + packet.length + " bytes on endpoint 0x"
                                + Integer.toHexString(endpoint) + ", buffer holds " + length);
                    }
                    System.arraycopy(packet, 0, buffer, 0, packet.length);
                    return packet.length;
                }
                if (now - deadline >= 0) {
                    throw new UsbException(Kind.TIMEOUT, "no data on endpoint 0x" + Integer.toHexString(endpoint)
                            + " within " + timeoutMs + " ms");
                }
                long next = device.model().nextInNanos(endpoint, now);
                long wakeAt = next - deadline < 0 ? next : deadline;
                device.awaitNanos(wakeAt - now);
                check();
                device.host().requireNotHalted(endpoint);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsbException(Kind.CLOSED, "transfer interrupted");
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void setAlternateSetting(int iface, int alternate) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().setAlternate(iface, alternate);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void clearHalt(int endpoint) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().clearHalt(endpoint);
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void resetDevice() throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().reset();
            device.changed.signalAll();
        } finally {
            device.lock.unlock();
        }
    }

    /** Each packet is one {@link org.usblogd.api.sim.DeviceModel#in} call, as a frame would be; missing ones are empty. */
    @Override
    public int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        device.lock.lock();
        try {
            check();
            device.host().requireClaimedFor(endpoint);
            device.host().requireNotHalted(endpoint);
            int offset = 0;
            int total = 0;
            for (int i = 0; i < packetLengths.length; i++) {
                int n = 0;
                if ((endpoint & 0x80) != 0) {
                    byte[] p = device.model().in(endpoint, System.nanoTime());
                    n = p == null ? 0 : Math.min(p.length, packetLengths[i]);
                    if (n > 0) {
                        System.arraycopy(p, 0, buffer, offset, n);
                    }
                } else {
                    device.model().out(endpoint, Arrays.copyOfRange(buffer, offset, offset + packetLengths[i]));
                    n = packetLengths[i];
                }
                offset += packetLengths[i];
                packetLengths[i] = n;
                total += n;
            }
            return total;
        } finally {
            device.lock.unlock();
        }
    }

    /**
     * The virtual bus queues nothing between bulk and interrupt reads: the model keeps its packets until
     * asked, so reading them one transfer at a time loses nothing and keeps their order. Isochronous
     * endpoints (of the selected alternate setting) are paced by the bus's clock instead: see
     * {@link VirtualIsoStream}.
     */
    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        UsbEndpointInfo iso;
        device.lock.lock();
        try {
            check();
            HostDeviceState host = device.host();
            iso = device.info().endpoint(endpoint, host::alternate)
                    .filter(e -> e.type() == TransferType.ISOCHRONOUS).orElse(null);
        } finally {
            device.lock.unlock();
        }
        if (iso != null) {
            return new VirtualIsoStream(device, this, iso, device.info().speed().microframes(), transferSize,
                    inFlight);
        }
        VirtualConnection connection = this;
        return new InStream() {
            private volatile boolean closed;
            private long completed;

            @Override
            public int endpoint() {
                return endpoint;
            }

            @Override
            public synchronized int read(byte[] buffer, int timeoutMs) throws UsbException {
                if (closed) {
                    throw new UsbException(Kind.CLOSED, "stream on endpoint 0x" + Integer.toHexString(endpoint)
                            + " is closed");
                }
                int n = connection.transfer(endpoint, buffer, Math.min(transferSize, buffer.length), timeoutMs);
                completed++;
                return n;
            }

            @Override
            public synchronized long completed() {
                return completed;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public void abort() {
        device.lock.lock();
        try {
            aborted = true;
            device.changed.signalAll();
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public void close() {
        device.lock.lock();
        try {
            aborted = true;
            device.closed(this);
            device.changed.signalAll();
        } finally {
            device.lock.unlock();
        }
    }

    /** With the device lock held: whether the connection may still be used. */
    void checkOpen() throws UsbException {
        check();
    }

    private void check() throws UsbException {
        if (aborted) {
            throw new UsbException(Kind.CLOSED, "connection to " + device.info() + " is closed");
        }
        device.requirePlugged();
    }
}
