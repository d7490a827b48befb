package org.usblogd.co2mon.twin;

import java.util.List;
import java.util.Random;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * Twin of a ZyAura/Holtek CO2 monitor, 04d9:a052 (docs/devices.md §1). Silent until the host sends the
 * 8-byte key with SET_REPORT(Feature); then it pushes one 8-byte item per period on interrupt IN 0x81:
 * a spurious CO2 value first, then CO2, temperature, humidity and unknown items in turn. Old firmware
 * encrypts each report with the host's key; new firmware sends plain frames.
 */
public final class Co2MonitorTwin implements DeviceModel {

    public enum Firmware {
        /** iSerial "1.40", bcdDevice 0x0100: encrypted reports. */
        OLD_ENCRYPTED("1.40", 0x0100),
        /** iSerial "2.00", bcdDevice 0x0200: plain reports. */
        NEW_PLAIN("2.00", 0x0200);

        final String serial;
        final int bcdDevice;

        Firmware(String serial, int bcdDevice) {
            this.serial = serial;
            this.bcdDevice = bcdDevice;
        }
    }

    public static final int ITEM_CO2 = 0x50;
    public static final int ITEM_TEMPERATURE = 0x42;
    public static final int ITEM_HUMIDITY = 0x41;
    /** Item codes real units send that carry nothing we decode. */
    private static final int[] UNKNOWN_ITEMS = { 0x6D, 0x6E, 0x71, 0x4F, 0x52, 0x56, 0x57 };
    private static final int ENDPOINT = 0x81;

    private final Firmware firmware;
    private final long periodNanos;
    private final boolean humiditySensor;
    private final Random random;

    private byte[] key;
    private long nextAt;
    private int step;
    private boolean spuriousSent;
    private int co2 = 650;
    private double temperature = 21.4;
    private double humidity = 45.0;
    private long itemsSent;

    /**
     * @param periodNanos time between two items; the real device sends a few per second
     * @param humiditySensor whether the unit has one (those without report 0 humidity)
     */
    public Co2MonitorTwin(Firmware firmware, long periodNanos, boolean humiditySensor, long seed) {
        this.firmware = firmware;
        this.periodNanos = periodNanos;
        this.humiditySensor = humiditySensor;
        this.random = new Random(seed);
    }

    @Override
    public UsbDeviceInfo info() {
        UsbEndpointInfo in = new UsbEndpointInfo(ENDPOINT, TransferType.INTERRUPT, 8, 10);
        UsbInterfaceInfo hid = new UsbInterfaceInfo(0, 0, 3, 0, 0, List.of(in));
        return new UsbDeviceInfo(0x04d9, 0xa052, firmware.bcdDevice, 0, 0, 0, "Holtek", "USB-zyTemp",
                firmware.serial, "-", 0, List.of(hid));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return interfaceNumber == 0 ? "usbhid" : null;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "CO2 monitor does not answer " + setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x0A) {
            return; // HID SET_IDLE: accepted and ignored, as usbhid-style hosts send it
        }
        if (setup.requestType() == 0x21 && setup.request() == 0x09 && setup.value() == 0x0300 && data.length == 8) {
            key = data.clone();
            nextAt = System.nanoTime() + periodNanos;
            return;
        }
        throw new UsbException(UsbException.Kind.STALL, "CO2 monitor stalls " + setup);
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != ENDPOINT || key == null || nowNanos - nextAt < 0) {
            return null;
        }
        nextAt += periodNanos;
        if (nowNanos - nextAt > 10 * periodNanos) {
            nextAt = nowNanos + periodNanos; // nobody read for a while: the device does not queue a backlog
        }
        byte[] frame = nextFrame();
        itemsSent++;
        return firmware == Firmware.OLD_ENCRYPTED ? encrypt(frame, key) : frame;
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        return endpoint == ENDPOINT && key != null ? nextAt : Long.MAX_VALUE;
    }

    @Override
    public synchronized void reset() {
        key = null;
        spuriousSent = false;
        step = 0;
    }

    public synchronized long itemsSent() {
        return itemsSent;
    }

    private byte[] nextFrame() {
        if (!spuriousSent) {
            spuriousSent = true;
            return frame(ITEM_CO2, 25_000 + random.nextInt(3_000)); // the glitch right after start
        }
        int slot = step++ % 5;
        switch (slot) {
        case 0:
            co2 = Math.max(400, Math.min(5000, co2 + random.nextInt(41) - 20));
            return frame(ITEM_CO2, co2);
        case 1:
            temperature += (random.nextInt(11) - 5) / 100.0;
            return frame(ITEM_TEMPERATURE, (int) Math.round((temperature + 273.15) * 16));
        case 2:
            humidity = Math.max(10, Math.min(90, humidity + (random.nextInt(21) - 10) / 100.0));
            return frame(ITEM_HUMIDITY, humiditySensor ? (int) Math.round(humidity * 100) : 0);
        default:
            return frame(UNKNOWN_ITEMS[random.nextInt(UNKNOWN_ITEMS.length)], random.nextInt(0x10000));
        }
    }

    /** A decoded frame: [item, MSB, LSB, sum, 0x0D, 0, 0, 0]. */
    public static byte[] frame(int item, int value) {
        int msb = (value >> 8) & 0xFF;
        int lsb = value & 0xFF;
        return new byte[] { (byte) item, (byte) msb, (byte) lsb, (byte) (item + msb + lsb), 0x0D, 0, 0, 0 };
    }

    private static final int[] OFFSETS = { 0x84, 0x47, 0x56, 0xD6, 0x07, 0x93, 0x93, 0x56 };
    /** The byte shuffle is its own inverse (swaps 0-2, 1-4, 3-7, 5-6). */
    private static final int[] SHUFFLE = { 2, 4, 0, 7, 1, 6, 5, 3 };

    /** The inverse of the host's decryption: add the offsets, rotate left by 3, xor the key, unshuffle. */
    public static byte[] encrypt(byte[] frame, byte[] key) {
        int[] c = new int[8];
        for (int i = 0; i < 8; i++) {
            c[i] = ((frame[i] & 0xFF) + OFFSETS[i]) & 0xFF;
        }
        int[] b = new int[8];
        for (int i = 0; i < 8; i++) {
            b[i] = ((c[i] << 3) | (c[(i + 1) % 8] >> 5)) & 0xFF;
            b[i] ^= key[i] & 0xFF;
        }
        byte[] raw = new byte[8];
        for (int i = 0; i < 8; i++) {
            raw[SHUFFLE[i]] = (byte) b[i];
        }
        return raw;
    }
}
