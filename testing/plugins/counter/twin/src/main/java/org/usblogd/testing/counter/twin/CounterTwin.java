package org.usblogd.testing.counter.twin;

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
 * A device that numbers what it sends: every period one 8-byte interrupt report on 0x81 holding a running
 * 64-bit sequence number, so a test can tell exactly which samples were lost. Its sequence continues across
 * sessions and resets (a real sensor's clock does not stop when the host looks away); a HID interface
 * bound to usbhid, like most small sensors.
 */
public final class CounterTwin implements DeviceModel {
    public static final int VENDOR_ID = 0x1209;
    public static final int PRODUCT_ID = 0x0010;
    public static final int ENDPOINT = 0x81;

    private final String serial;
    private final long periodNanos;
    private final long wedgeAfter;
    private long next;
    private long sequence;

    public CounterTwin(String serial, long periodNanos) {
        this(serial, periodNanos, 0);
    }

    /**
     * @param wedgeAfter after this many reports the twin stops answering, as a wedged firmware does: it stays
     *        on the bus, NAKs every IN and survives a bus reset; only unplugging ends it (0 = never)
     */
    public CounterTwin(String serial, long periodNanos, long wedgeAfter) {
        this.serial = serial;
        this.periodNanos = periodNanos;
        this.wedgeAfter = wedgeAfter;
    }

    private boolean wedged() {
        return wedgeAfter > 0 && sequence >= wedgeAfter;
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(VENDOR_ID, PRODUCT_ID, 0x0100, 0, 0, 0, "usblogd", "Counter twin", serial, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 3, 0, 0,
                        List.of(new UsbEndpointInfo(ENDPOINT, TransferType.INTERRUPT, 8, 1)))));
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

    /** Reports the device produced while nobody read them are gone, as with a real interrupt endpoint. */
    @Override
    public synchronized byte[] in(int endpoint, long now) {
        if (endpoint != ENDPOINT || wedged()) {
            return null;
        }
        if (next == 0) {
            next = now;
        }
        if (now - next < 0) {
            return null;
        }
        long missed = (now - next) / periodNanos;
        sequence += missed;
        next += (missed + 1) * periodNanos;
        return ByteBuffer.allocate(8).putLong(sequence++).array();
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long now) {
        return wedged() ? Long.MAX_VALUE : next == 0 ? now : next;
    }

    public static long sequence(byte[] report) {
        return ByteBuffer.wrap(report).getLong();
    }
}
