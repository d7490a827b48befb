package org.usblogd.usb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * The link a driver gets: the backend connection plus the bookkeeping that lets the core undo everything
 * the driver did to the device, whichever way the session ends: given back, or handed to a swap bridge that
 * gives it back unless the next session takes it over.
 */
final class CoreDeviceLink implements DeviceLink {
    /** {@link #arrivalTime()} while the driver reads the device itself. */
    static final long LIVE = Long.MIN_VALUE;

    private final UsbDeviceInfo info;
    private final DeviceIdentity identity;
    private final DeviceConnection connection;
    private final DeviceSettings settings;
    private final DeviceHold hold;
    private final List<InStream> streams = new ArrayList<>();
    /** The bulk and interrupt IN endpoints the driver read, and how: what a swap bridge reads on. */
    private final Map<Integer, SwapBridge.EndpointRead> reads = new ConcurrentHashMap<>();
    /** The bridge this session took over from, while some of its endpoints' transfers still come from it. */
    private final SwapBridge inherited;
    /** Under this: the hold has left the link, given back or handed to a swap bridge. */
    private boolean holdGone;
    private volatile long arrivalTime = LIVE;

    CoreDeviceLink(UsbDeviceInfo info, DeviceIdentity identity, DeviceConnection connection) {
        this(info, identity, connection, DeviceSettings.NONE);
    }

    CoreDeviceLink(UsbDeviceInfo info, DeviceIdentity identity, DeviceConnection connection,
            DeviceSettings settings) {
        this(info, settings, new DeviceHold(info, identity, connection), null);
    }

    private CoreDeviceLink(UsbDeviceInfo info, DeviceSettings settings, DeviceHold hold, SwapBridge inherited) {
        this.info = info;
        this.identity = hold.identity();
        this.connection = hold.connection();
        this.settings = settings;
        this.hold = hold;
        this.inherited = inherited;
    }

    /**
     * The link of a session that takes over a swapped driver's device from its bridge: the device stays open
     * and claimed, and reads on the bridged endpoints get what the bridge kept first.
     */
    static CoreDeviceLink takingOver(UsbDeviceInfo info, SwapBridge bridge, DeviceSettings settings) {
        bridge.taken();
        return new CoreDeviceLink(info, settings, bridge.hold(), bridge);
    }

    /** Whether reads may still come from a swap bridge. */
    boolean inheritsBridge() {
        return inherited != null;
    }

    /**
     * When the transfer the driver read last was kept by a swap bridge: the device time it arrived at, which is
     * what the driver's samples from it are stamped with; {@link #LIVE} when it read the device itself.
     */
    long arrivalTime() {
        return arrivalTime;
    }

    @Override
    public DeviceSettings settings() {
        return settings;
    }

    @Override
    public UsbDeviceInfo info() {
        return info;
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    @Override
    public void claim(int interfaceNumber) throws UsbException {
        hold.claim(interfaceNumber);
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        checkBuffer(data, length);
        return connection.control(requestType, request, value, index, data, length, timeoutMs);
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        checkBuffer(buffer, length);
        if ((endpoint & 0x80) != 0) {
            int n = fromBridge(endpoint, buffer, length);
            if (n >= 0) {
                return n;
            }
            readLive(endpoint, true, length);
        }
        return connection.bulk(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        checkBuffer(buffer, length);
        if ((endpoint & 0x80) != 0) {
            int n = fromBridge(endpoint, buffer, length);
            if (n >= 0) {
                return n;
            }
            readLive(endpoint, false, length);
        }
        return connection.interrupt(endpoint, buffer, length, timeoutMs);
    }

    /** A transfer the swap bridge kept for this endpoint, copied into the buffer; -1 when none is left. */
    private int fromBridge(int endpoint, byte[] buffer, int length) throws UsbException {
        if (inherited == null || !inherited.bridges(endpoint)) {
            return -1;
        }
        SwapBridge.Arrival a;
        try {
            a = inherited.next(endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsbException(UsbException.Kind.CLOSED, "transfer interrupted");
        }
        if (a == null) {
            return -1;
        }
        arrivalTime = a.time();
        if (a.data().length > length) {
            throw new UsbException(UsbException.Kind.OVERFLOW, "device sent " + a.data().length + " bytes on endpoint 0x"
                    + Integer.toHexString(endpoint) + " (kept while the driver was swapped), buffer holds " + length);
        }
        System.arraycopy(a.data(), 0, buffer, 0, a.data().length);
        return a.data().length;
    }

    private void readLive(int endpoint, boolean bulk, int length) {
        arrivalTime = LIVE;
        SwapBridge.EndpointRead how = reads.get(endpoint);
        if (how == null || how.bulk() != bulk || how.length() != length) {
            reads.put(endpoint, new SwapBridge.EndpointRead(bulk, length));
        }
    }

    @Override
    public void setAlternateSetting(int interfaceNumber, int alternateSetting) throws UsbException {
        if (!hold.claimed(interfaceNumber)) {
            throw new UsbException(UsbException.Kind.OTHER, "interface " + interfaceNumber
                    + " must be claimed before selecting alternate setting " + alternateSetting);
        }
        connection.setAlternateSetting(interfaceNumber, alternateSetting);
    }

    @Override
    public int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        int total = 0;
        for (int l : packetLengths) {
            if (l < 0) {
                throw new IllegalArgumentException("negative packet length " + l);
            }
            total += l;
        }
        checkBuffer(buffer, total);
        return connection.isochronous(endpoint, buffer, packetLengths, timeoutMs);
    }

    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        if ((endpoint & 0x80) == 0) {
            throw new IllegalArgumentException("endpoint 0x" + Integer.toHexString(endpoint) + " is not an IN endpoint");
        }
        if (transferSize <= 0 || inFlight <= 0) {
            throw new IllegalArgumentException("transfer size and transfers in flight must be positive");
        }
        InStream stream = connection.openStream(endpoint, transferSize, inFlight);
        synchronized (this) {
            streams.add(stream);
        }
        return stream;
    }

    @Override
    public void clearHalt(int endpoint) throws UsbException {
        connection.clearHalt(endpoint);
    }

    @Override
    public void resetDevice() throws UsbException {
        connection.resetDevice();
    }

    /** Wakes a transfer the session thread is blocked in; used when the core stops the session. */
    void abort() {
        connection.abort();
        closeStreams();
    }

    private void closeStreams() {
        List<InStream> open;
        synchronized (this) {
            open = new ArrayList<>(streams);
            streams.clear();
        }
        open.forEach(InStream::close);
    }

    /**
     * Releases every claimed interface, gives detached interfaces back to their kernel drivers and closes the
     * device, unless the hold went to a swap bridge. Never throws: after an unplug each step fails with GONE,
     * which is expected.
     */
    void releaseAndClose() {
        closeStreams();
        synchronized (this) {
            if (holdGone) {
                return;
            }
            holdGone = true; // a late hand-over finds nothing to hand
        }
        if (inherited != null) {
            inherited.stop();
        }
        hold.releaseAndClose();
    }

    /**
     * Hands the open, claimed device to a swap bridge that reads on the endpoints this session read, instead of
     * giving it back: the session ends because its driver is being swapped. The driver's streams are closed
     * (they are not bridged). Null when the device was given back already.
     */
    SwapBridge handOver(LongSupplier clock, SwapBridge.Terms terms) {
        closeStreams();
        synchronized (this) {
            if (holdGone) {
                return null;
            }
            holdGone = true;
        }
        SwapBridge.Leftover left = inherited == null ? SwapBridge.Leftover.NONE : inherited.passOn();
        return SwapBridge.start(hold, reads, left, clock, terms);
    }

    private static void checkBuffer(byte[] buffer, int length) {
        if (length < 0 || length > (buffer == null ? 0 : buffer.length)) {
            throw new IllegalArgumentException("transfer length " + length + " does not fit the buffer");
        }
    }
}
