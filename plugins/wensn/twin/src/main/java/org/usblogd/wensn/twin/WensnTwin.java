package org.usblogd.wensn.twin;

import java.util.List;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Twin of a Wensn WS1361 sound level meter on V-USB's shared 16c0:05dc (docs/devices.md §8): no endpoint
 * but the control one; vendor request IN 4 answers two bytes, the level as (b0 + (b1 &amp; 3)·256)·0.1 + 30
 * dB with range, weighting and response in b1's upper bits. Any other request stalls.
 */
public final class WensnTwin implements DeviceModel {
    private final Random random;
    private final boolean weightingC;
    private int tenths = 150; // 45.0 dB
    private long reads;

    public WensnTwin(long seed, boolean weightingC) {
        this.random = new Random(seed);
        this.weightingC = weightingC;
    }

    /** The two bytes the meter sends for a level in dB (30.0 to 132.3) and its settings. */
    public static byte[] reading(double decibels, int range, boolean weightingC, boolean slow) {
        int raw = (int) Math.round((decibels - 30) * 10);
        return new byte[] { (byte) raw, (byte) ((raw >> 8) & 0x03 | (range & 7) << 2 | (weightingC ? 0x20 : 0)
                | (slow ? 0x40 : 0)) };
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x16c0, 0x05dc, 0x0100, 0, 0, 0, "Wensn", "WS1361", null, "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xff, 0, 0, List.of())));
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() != 0xC0 || setup.request() != 4 || setup.length() < 2) {
            throw new UsbException(UsbException.Kind.STALL, "sound level meter stalls " + setup);
        }
        reads++;
        tenths = Math.max(50, Math.min(900, tenths + random.nextInt(21) - 10));
        return reading(30 + tenths / 10.0, 0, weightingC, false);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "sound level meter stalls " + setup);
    }

    @Override
    public byte[] in(int endpoint, long nowNanos) {
        return null;
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return Long.MAX_VALUE;
    }

    public synchronized long reads() {
        return reads;
    }
}
