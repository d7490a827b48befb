package org.usblogd.testing.plugin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;

/**
 * A DeviceLink that answers IN transfers (bulk, interrupt, control IN) from a script of packets, in order,
 * and times out once the script is used up; OUT transfers are kept.
 */
public final class ScriptedLink implements DeviceLink {
    private final UsbDeviceInfo info;
    private final Deque<byte[]> in = new ArrayDeque<>();
    public final List<byte[]> out = new ArrayList<>();

    public ScriptedLink(UsbDeviceInfo info) {
        this.info = info.at("1-1", 2);
    }

    /** Queues packets for the next IN transfers. */
    public ScriptedLink then(byte[]... packets) {
        in.addAll(Arrays.asList(packets));
        return this;
    }

    public int left() {
        return in.size();
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
    public void claim(int interfaceNumber) {
    }

    @Override
    public void setAlternateSetting(int interfaceNumber, int alternateSetting) {
    }

    @Override
    public int control(int requestType, int request, int value, int index, byte[] data, int length, int timeoutMs)
            throws UsbException {
        if ((requestType & 0x80) == 0) {
            out.add(Arrays.copyOf(data, length));
            return length;
        }
        return read(data, length);
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        if ((endpoint & 0x80) == 0) {
            out.add(Arrays.copyOf(buffer, length));
            return length;
        }
        return read(buffer, length);
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return bulk(endpoint, buffer, length, timeoutMs);
    }

    private int read(byte[] buffer, int length) throws UsbException {
        byte[] p = in.poll();
        if (p == null) {
            throw new UsbException(UsbException.Kind.TIMEOUT, "nothing scripted");
        }
        int n = Math.min(length, p.length);
        System.arraycopy(p, 0, buffer, 0, n);
        return n;
    }

    @Override
    public int isochronous(int endpoint, byte[] buffer, int[] packetLengths, int timeoutMs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public InStream openStream(int endpoint, int transferSize, int inFlight) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clearHalt(int endpoint) {
    }

    @Override
    public void resetDevice() {
    }
}
