package org.usblogd.usbtmc;

import java.util.Arrays;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;

/**
 * A DeviceLink straight onto a twin, so that a protocol can be tested against the device's behaviour
 * without a bus: control requests go to the model, bulk OUT to {@code out}, bulk IN waits for {@code in}.
 */
final class TwinLink implements DeviceLink {
    private final DeviceModel model;
    private final UsbDeviceInfo info;

    TwinLink(DeviceModel model) {
        this.model = model;
        this.info = model.info().at("1-1", 2);
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
        ControlSetup setup = new ControlSetup(requestType, request, value, index, length);
        if (setup.isIn()) {
            byte[] r = model.controlIn(setup);
            int n = Math.min(length, r.length);
            System.arraycopy(r, 0, data, 0, n);
            return n;
        }
        model.controlOut(setup, Arrays.copyOf(data, length));
        return length;
    }

    @Override
    public int bulk(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        if ((endpoint & 0x80) == 0) {
            model.out(endpoint, Arrays.copyOf(buffer, length));
            return length;
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            byte[] p = model.in(endpoint, System.nanoTime());
            if (p != null) {
                int n = Math.min(length, p.length);
                System.arraycopy(p, 0, buffer, 0, n);
                return n;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new UsbException(UsbException.Kind.TIMEOUT, "bulk IN timed out");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public int interrupt(int endpoint, byte[] buffer, int length, int timeoutMs) throws UsbException {
        return bulk(endpoint, buffer, length, timeoutMs);
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
        model.reset();
    }
}
