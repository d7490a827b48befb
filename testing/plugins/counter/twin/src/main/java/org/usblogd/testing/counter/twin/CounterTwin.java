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
 * 64-bit sequence number, so a test can tell exactly which samples were lost. Its clock starts when the
 * host first asks; from then on the clock alone makes reports, and the device keeps the newest
 * {@code kept} of those nobody has read yet, as a report buffer does: a reader that stops for longer than
 * kept × period loses reports, and the numbers it reads afterwards show the gap. Its sequence continues
 * across sessions and resets (a real sensor's clock does not stop when the host looks away); a HID
 * interface bound to usbhid, like most small sensors.
 */
public final class CounterTwin implements DeviceModel {
    public static final int VENDOR_ID = 0x1209;
    public static final int PRODUCT_ID = 0x0010;
    public static final int ENDPOINT = 0x81;
    /** For {@code kept}: the device holds every report until it is read, so none is ever lost. */
    public static final int EVERY_REPORT = Integer.MAX_VALUE;

    private final String serial;
    private final long periodNanos;
    private final int kept;
    private final long wedgeAfter;
    /** When report number {@link #sequence} is (or was) made; 0 until the host first asks. */
    private long next;
    private long sequence;
    private boolean silent;
    private long lost;
    private long delivered;
    private int resets;

    /** A twin that keeps only its newest report, as a plain interrupt endpoint does. */
    public CounterTwin(String serial, long periodNanos) {
        this(serial, periodNanos, 1, 0);
    }

    /**
     * @param wedgeAfter after this many reports the twin stops answering, as a wedged firmware does: it stays
     *        on the bus, NAKs every IN and survives a bus reset; only unplugging ends it (0 = never)
     */
    public CounterTwin(String serial, long periodNanos, long wedgeAfter) {
        this(serial, periodNanos, 1, wedgeAfter);
    }

    private CounterTwin(String serial, long periodNanos, int kept, long wedgeAfter) {
        this.serial = serial;
        this.periodNanos = periodNanos;
        this.kept = Math.max(1, kept);
        this.wedgeAfter = wedgeAfter;
    }

    /** A twin that loses nothing: every report waits until the host reads it. */
    public static CounterTwin keepingEveryReport(String serial, long periodNanos) {
        return keepingNewest(serial, periodNanos, EVERY_REPORT);
    }

    /**
     * A twin that holds the newest {@code kept} unread reports (at least 1; {@link #EVERY_REPORT} for all of
     * them) and overwrites the oldest when a new one comes.
     */
    public static CounterTwin keepingNewest(String serial, long periodNanos, int kept) {
        return new CounterTwin(serial, periodNanos, kept, 0);
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

    /** Reports the device made beyond what it keeps while nobody read them are gone, as in a device's buffer. */
    @Override
    public synchronized byte[] in(int endpoint, long now) {
        if (endpoint != ENDPOINT || silent || wedged()) {
            return null;
        }
        if (next == 0) {
            next = now;
        }
        if (now - next < 0) {
            return null;
        }
        long unread = (now - next) / periodNanos + 1;
        if (unread > kept) {
            long overwritten = unread - kept;
            lost += overwritten;
            sequence += overwritten;
            next += overwritten * periodNanos;
        }
        next += periodNanos;
        delivered++;
        return ByteBuffer.allocate(8).putLong(sequence++).array();
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long now) {
        if (endpoint != ENDPOINT || wedged()) {
            return Long.MAX_VALUE;
        }
        // a silenced twin may speak again without the host doing anything: look again in a second
        return silent ? now + 1_000_000_000L : next == 0 ? now : next;
    }

    /**
     * A device that stops answering (its IN endpoint NAKs forever) while staying on the bus, or answers
     * again; a silent device makes no reports, and its clock starts afresh when it speaks again.
     */
    public synchronized void silence(boolean on) {
        silent = on;
        next = 0;
    }

    /** Counts the reset; the sequence and the reports not yet read stay, as the device's clock runs on. */
    @Override
    public synchronized void reset() {
        resets++;
    }

    /** How often the device was reset: at each plug, and by the host. */
    public synchronized int resets() {
        return resets;
    }

    /** Reports made and overwritten before anyone read them. */
    public synchronized long lost() {
        return lost;
    }

    /** Reports handed to the host so far. */
    public synchronized long delivered() {
        return delivered;
    }

    public static long sequence(byte[] report) {
        return ByteBuffer.wrap(report).getLong();
    }
}
