package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A sensor that makes a numbered 4-byte report on interrupt IN 0x81 every period, whether or not the host
 * asks, and keeps the newest {@code depth} of them, as a device's report buffer does: a reader that stops
 * for longer than depth × period loses reports, and the numbers it reads afterwards show the gap. Its
 * descriptors are those of the core tests' counter device (1209:0001, interface 0 bound to usbhid), so
 * their counting driver reads it too.
 */
public final class ReportModel implements DeviceModel {
    public static final int VID = 0x1209;
    public static final int PID = 0x0001;

    private final String serial;
    private final long periodNanos;
    private final int depth;
    private boolean started;
    private long firstReportAt;
    private long next;
    private long lost;

    public ReportModel(String serial, long periodNanos, int depth) {
        this.serial = serial;
        this.periodNanos = periodNanos;
        this.depth = depth;
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(VID, PID, 0x0100, 0, 0, 0, "usblogd tests", "Reports", serial, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0x03, 0, 0,
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

    /** The device starts reporting when the host first asks; from then on the clock alone makes reports. */
    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != 0x81) {
            return null;
        }
        if (!started) {
            started = true;
            firstReportAt = nowNanos;
        }
        long made = (nowNanos - firstReportAt) / periodNanos + 1;
        if (next < made - depth) {
            lost += made - depth - next;
            next = made - depth;
        }
        if (next >= made) {
            return null;
        }
        return ByteBuffer.allocate(4).putInt((int) next++).array();
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        if (endpoint != 0x81) {
            return Long.MAX_VALUE;
        }
        return started ? firstReportAt + next * periodNanos : nowNanos;
    }

    /** Reports made and overwritten before anyone read them. */
    public synchronized long lost() {
        return lost;
    }

    /** Reports handed to the host so far. */
    public synchronized long delivered() {
        return next - lost;
    }
}
