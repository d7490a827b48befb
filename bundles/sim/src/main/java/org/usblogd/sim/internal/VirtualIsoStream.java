package org.usblogd.sim.internal;

import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;

/**
 * An isochronous IN stream on the virtual bus, paced as a host controller paces one: a packet slot every
 * service interval ((micro)frame times 2^(bInterval-1)), a transfer complete when its last slot has passed.
 * In each slot the model is asked for one packet; one it has none for is a failed packet
 * ({@link InStream#MISSING}), one larger than the endpoint allows a babble (also failed), an empty one
 * arrives empty. A reader that falls behind by more than the transfers it keeps in flight loses the slots
 * no transfer was queued for, as on a real bus: they are never asked of the model nor reported.
 */
final class VirtualIsoStream implements InStream {
    private final VirtualDevice device;
    private final VirtualConnection connection;
    private final int endpoint;
    private final int packetBytes;
    private final int packets;
    private final long slotNanos;
    private final long queuedNanos;
    private long nextSlot;
    private long completed;
    private volatile boolean closed;

    VirtualIsoStream(VirtualDevice device, VirtualConnection connection, UsbEndpointInfo ep, boolean microframes,
            int transferSize, int inFlight) {
        this.device = device;
        this.connection = connection;
        this.endpoint = ep.address();
        this.packetBytes = Math.max(1, ep.bytesPerInterval());
        this.packets = Math.max(1, transferSize / packetBytes);
        int exponent = Math.max(1, Math.min(16, ep.interval())) - 1;
        this.slotNanos = (microframes ? 125_000L : 1_000_000L) << exponent;
        this.queuedNanos = slotNanos * packets * Math.max(1, inFlight);
        this.nextSlot = System.nanoTime();
    }

    @Override
    public int endpoint() {
        return endpoint;
    }

    @Override
    public synchronized int read(byte[] buffer, int timeoutMs) throws UsbException {
        readPackets(buffer, new int[0], timeoutMs);
        return filled;
    }

    /** Under this object's monitor: bytes the last read copied. */
    private int filled;

    @Override
    public synchronized int readPackets(byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        if (closed) {
            throw new UsbException(Kind.CLOSED, "stream on endpoint 0x" + Integer.toHexString(endpoint) + " is closed");
        }
        device.lock.lock();
        try {
            connection.checkOpen();
            device.host().requireClaimedFor(endpoint);
            long now = System.nanoTime();
            if (now - nextSlot > queuedNanos) {
                nextSlot = now - queuedNanos; // no transfer was queued for the slots before
            }
            long done = nextSlot + packets * slotNanos;
            long deadline = now + timeoutMs * 1_000_000L;
            while (true) {
                now = System.nanoTime();
                if (now - done >= 0) {
                    break;
                }
                if (now - deadline >= 0) {
                    throw new UsbException(Kind.TIMEOUT, "no isochronous transfer completed on endpoint 0x"
                            + Integer.toHexString(endpoint) + " within " + timeoutMs + " ms");
                }
                device.awaitNanos((done - deadline < 0 ? done : deadline) - now);
                if (closed) {
                    throw new UsbException(Kind.CLOSED, "stream on endpoint 0x" + Integer.toHexString(endpoint)
                            + " is closed");
                }
                connection.checkOpen();
            }
            int written = 0;
            for (int i = 0; i < packets; i++) {
                byte[] p = device.model().in(endpoint, nextSlot);
                nextSlot += slotNanos;
                int n;
                if (p == null || p.length > packetBytes) {
                    n = MISSING;
                } else {
                    n = Math.min(p.length, buffer.length - written);
                    System.arraycopy(p, 0, buffer, written, n);
                    written += n;
                }
                if (i < packetLengths.length) {
                    packetLengths[i] = n;
                }
            }
            completed++;
            filled = written;
            return packets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsbException(Kind.CLOSED, "transfer interrupted");
        } finally {
            device.lock.unlock();
        }
    }

    @Override
    public synchronized long completed() {
        return completed;
    }

    @Override
    public void close() {
        closed = true;
        device.lock.lock();
        try {
            device.changed.signalAll();
        } finally {
            device.lock.unlock();
        }
    }
}
