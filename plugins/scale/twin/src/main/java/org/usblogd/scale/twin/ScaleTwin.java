package org.usblogd.scale.twin;

import org.usblogd.api.sim.Cadence;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Twin of a Dymo M10 postal scale, 0922:8003 (docs/devices.md §7): a 6-byte report on interrupt IN 0x82
 * every period, without being asked. It goes through a day at the post office in a loop: empty, a parcel
 * put on (in motion, then stable in ounces), the user switching to grams, too much weight (a fault).
 * Its first report after being opened is the last weight it had, as real scales do.
 */
public final class ScaleTwin implements DeviceModel {
    public static final int ENDPOINT = 0x82;
    /** status, unit, exponent, raw weight; one report each, the list repeating. */
    private static final int[][] SCRIPT = {
        { 2, 11, -1, 0 }, { 2, 11, -1, 0 }, { 3, 11, -1, 4012 }, { 4, 11, -1, 2116 }, { 4, 11, -1, 2116 },
        { 4, 11, -1, 2116 }, { 4, 2, 0, 5998 }, { 4, 2, 0, 5998 }, { 6, 2, 0, 0 }, { 6, 2, 0, 0 },
        { 3, 2, 0, 1200 }, { 2, 11, -1, 0 },
    };

    private final Cadence cadence;
    private int step;
    private long reports;

    public ScaleTwin(long periodNanos) {
        this.cadence = new Cadence(periodNanos);
    }

    public static byte[] report(int status, int unit, int exponent, int raw) {
        return new byte[] { 3, (byte) status, (byte) unit, (byte) exponent, (byte) raw, (byte) (raw >> 8) };
    }

    @Override
    public UsbDeviceInfo info() {
        UsbEndpointInfo in = new UsbEndpointInfo(ENDPOINT, TransferType.INTERRUPT, 8, 10);
        return new UsbDeviceInfo(0x0922, 0x8003, 0x0100, 0, 0, 0, "DYMO", "M10 10 Kg Digital Postal Scale", null,
                "-", 0, List.of(new UsbInterfaceInfo(0, 0, 3, 0, 0, List.of(in))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return interfaceNumber == 0 ? "usbhid" : null;
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "scale stalls " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x0A) {
            return; // HID SET_IDLE
        }
        throw new UsbException(UsbException.Kind.STALL, "scale stalls " + setup);
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT) {
            return null;
        }
        if (!cadence.due(nowNanos)) {
            return null;
        }
        int[] s = SCRIPT[step % SCRIPT.length];
        step++;
        reports++;
        return report(s[0], s[1], s[2], s[3]);
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return endpoint != ENDPOINT ? Long.MAX_VALUE : cadence.next(nowNanos);
    }

    public synchronized long reports() {
        return reports;
    }
}
