package org.usblogd.usb.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * The link a driver gets: the backend connection plus the bookkeeping that lets the core undo everything
 * the driver did to the device, whichever way the session ends.
 */
final class CoreDeviceLink implements DeviceLink {
    private static final Logger log = LoggerFactory.getLogger(CoreDeviceLink.class);

    private final UsbDeviceInfo info;
    private final DeviceIdentity identity;
    private final DeviceConnection connection;
    private final DeviceSettings settings;
    private final Set<Integer> claimed = new LinkedHashSet<>();
    private final Set<Integer> detached = new LinkedHashSet<>();
    private final List<InStream> streams = new ArrayList<>();

    CoreDeviceLink(UsbDeviceInfo info, DeviceIdentity identity, DeviceConnection connection) {
        this(info, identity, connection, DeviceSettings.NONE);
    }

    CoreDeviceLink(UsbDeviceInfo info, DeviceIdentity identity, DeviceConnection connection,
            DeviceSettings settings) {
        this.info = info;
        this.identity = identity;
        this.connection = connection;
        this.settings = settings;
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
    public synchronized void claim(int interfaceNumber) throws UsbException {
        if (claimed.contains(interfaceNumber)) {
            return;
        }
        if (claimed.isEmpty() && connection.activeConfiguration() == 0) {
            // An unconfigured device (no driver ever configured it) has no interfaces to claim yet.
            connection.setConfiguration(info.configuration().map(c -> c.value()).orElse(1));
        }
        if (connection.kernelDriverActive(interfaceNumber)) {
            connection.detachKernelDriver(interfaceNumber);
            detached.add(interfaceNumber);
        }
        connection.claimInterface(interfaceNumber);
        claimed.add(interfaceNumber);
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
        return connection.bulk(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        checkBuffer(buffer, length);
        return connection.interrupt(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public void setAlternateSetting(int interfaceNumber, int alternateSetting) throws UsbException {
        synchronized (this) {
            if (!claimed.contains(interfaceNumber)) {
                throw new UsbException(UsbException.Kind.OTHER, "interface " + interfaceNumber
                        + " must be claimed before selecting alternate setting " + alternateSetting);
            }
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
     * device. Never throws: after an unplug each step fails with GONE, which is expected.
     */
    void releaseAndClose() {
        closeStreams();
        releaseInterfacesAndClose();
    }

    private synchronized void releaseInterfacesAndClose() {
        List<String> problems = new ArrayList<>();
        for (int i : claimed) {
            try {
                connection.releaseInterface(i);
            } catch (UsbException e) {
                problems.add("release interface " + i + ": " + e.getMessage());
            }
        }
        claimed.clear();
        for (int i : detached) {
            try {
                connection.attachKernelDriver(i);
            } catch (UsbException e) {
                problems.add("re-attach kernel driver of interface " + i + ": " + e.getMessage());
            }
        }
        detached.clear();
        connection.close();
        if (!problems.isEmpty()) {
            log.debug("{}: while releasing: {}", identity, problems);
        }
    }

    private static void checkBuffer(byte[] buffer, int length) {
        if (length < 0 || length > (buffer == null ? 0 : buffer.length)) {
            throw new IllegalArgumentException("transfer length " + length + " does not fit the buffer");
        }
    }
}
