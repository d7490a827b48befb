package org.usblogd.testing.plugin;

import java.util.ArrayList;
import java.util.List;

import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * A driver's link to a device on the virtual bus, opened as the core opens one: claims detach the kernel
 * driver first, and closing closes the streams, releases the claims, binds the kernel drivers again and
 * closes the connection. Transfers wait on the bus as they do in the daemon. Not final: a test that needs a
 * fault on the real link overrides the one transfer it breaks.
 */
public class BusLink implements DeviceLink, AutoCloseable {
    private final UsbDeviceInfo info;
    private final DeviceConnection connection;
    private final List<Integer> claimed = new ArrayList<>();
    private final List<InStream> streams = new ArrayList<>();
    private final DeviceSettings settings;

    public BusLink(BackendDevice device) throws UsbException {
        this(device, DeviceSettings.NONE);
    }

    public BusLink(BackendDevice device, DeviceSettings settings) throws UsbException {
        this.info = device.info();
        this.connection = device.open();
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
        return info.identity();
    }

    @Override
    public void claim(int interfaceNumber) throws UsbException {
        if (connection.kernelDriverActive(interfaceNumber)) {
            connection.detachKernelDriver(interfaceNumber);
        }
        connection.claimInterface(interfaceNumber);
        claimed.add(interfaceNumber);
    }

    @Override
    public void setAlternateSetting(int interfaceNumber, int alternateSetting) throws UsbException {
        connection.setAlternateSetting(interfaceNumber, alternateSetting);
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        return connection.control(requestType, request, value, index, data, length, timeoutMs);
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return connection.bulk(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return connection.interrupt(endpoint, buffer, length, timeoutMs);
    }

    @Override
    public int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) throws UsbException {
        return connection.isochronous(endpoint, buffer, packetLengths, timeoutMs);
    }

    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) throws UsbException {
        InStream s = connection.openStream(endpoint, transferSize, inFlight);
        streams.add(s);
        return s;
    }

    @Override
    public void clearHalt(int endpoint) throws UsbException {
        connection.clearHalt(endpoint);
    }

    @Override
    public void resetDevice() throws UsbException {
        connection.resetDevice();
    }

    @Override
    public void close() throws UsbException {
        streams.forEach(InStream::close);
        try {
            for (int i : claimed) {
                connection.releaseInterface(i);
                connection.attachKernelDriver(i);
            }
        } finally {
            connection.close();
        }
    }
}
