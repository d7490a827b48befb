package org.usblogd.usb.internal;

import java.nio.ByteBuffer;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/** A plain test device: a 4-byte counter on interrupt IN 0x81 every period, bound to a kernel driver. */
final class CounterModel implements DeviceModel {
    static final int VID = 0x1209;
    static final int PID = 0x0001;

    private final String serial;
    private final long periodNanos;
    private long next;
    private int counter;
    private boolean silent;

    CounterModel(String serial, long periodNanos) {
        this.serial = serial;
        this.periodNanos = periodNanos;
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(VID, PID, 0x0100, 0, 0, 0, "usblogd tests", "Counter", serial, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xFF, 0, 0,
                        List.of(new UsbEndpointInfo(0x81, TransferType.INTERRUPT, 8, 1)))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "usbhid";
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "no control requests");
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "no control requests");
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (next == 0) {
            next = nowNanos;
        }
        if (silent || nowNanos - next < 0) {
            return null;
        }
        next += periodNanos;
        return ByteBuffer.allocate(4).putInt(counter++).array();
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return silent ? nowNanos + 1_000_000_000L : next;
    }

    private int resets;

    /** A device that stops answering (its IN endpoint NAKs forever) while staying on the bus, or answers again. */
    synchronized void silence(boolean on) {
        silent = on;
        next = 0;
    }

    @Override
    public synchronized void reset() {
        next = 0;
        resets++;
    }

    synchronized int resets() {
        return resets;
    }
}
