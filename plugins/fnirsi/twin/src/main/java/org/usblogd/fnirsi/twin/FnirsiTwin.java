package org.usblogd.fnirsi.twin;

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
 * Twin of an FNIRSI USB power meter (docs/devices.md §6): a composite device (a CDC serial function the
 * meter never uses, and a HID interface with interrupt IN 0x84 and OUT 0x04). Commands are 64-byte reports
 * {@code AA cmd ... CRC}; one that fails its CRC, or comes less than 20 ms after the previous one, is lost.
 * After AA 81, AA 82 and AA 83 (FNB58: AA 82 again) it sends 25 reports a second of four samples each,
 * the first of them garbage, for as long as AA 83 keeps coming (1 s without one stops an FNB48/C1, 3 s an
 * FNB58, whether or not the host reads). While it streams it ignores the start commands; once it stopped,
 * only the start sequence starts it again.
 */
public final class FnirsiTwin implements DeviceModel {
    public enum Model {
        FNB48(0x0483, 0x003a, "FNB48"), C1(0x0483, 0x003b, "C1"), FNB58(0x2e3c, 0x5558, "FNB58");

        final int vid;
        final int pid;
        final String product;

        Model(int vid, int pid, String product) {
            this.vid = vid;
            this.pid = pid;
            this.product = product;
        }
    }

    public static final int IN = 0x84;
    public static final int OUT = 0x04;
    private static final long REPORT_NANOS = 40_000_000; // 25 reports/s
    private static final long PACING_NANOS = 20_000_000;

    private final Model model;
    private final Random random;
    private int initStep;
    private boolean streaming;
    private boolean garbageDue;
    private long lastCommandAt = Long.MIN_VALUE / 2;
    private long lastKeepAlive;
    private long nextAt;
    private long reports;
    private long lostCommands;

    public FnirsiTwin(Model model, long seed) {
        this.model = model;
        this.random = new Random(seed);
    }

    /** CRC-8, polynomial 0x39, initial 0x42, over bytes 1..62. */
    public static int crc(byte[] r) {
        int crc = 0x42;
        for (int i = 1; i <= 62; i++) {
            crc ^= r[i] & 0xFF;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x39) & 0xFF : crc << 1 & 0xFF;
            }
        }
        return crc;
    }

    /** A data report of four identical samples. */
    public static byte[] dataReport(double volts, double amps, double dPlus, double dMinus, double celsius) {
        byte[] r = new byte[64];
        r[0] = (byte) 0xAA;
        r[1] = 0x04;
        for (int i = 0; i < 4; i++) {
            int o = 2 + i * 15;
            le32(r, o, Math.round(volts * 100_000));
            le32(r, o + 4, Math.round(amps * 100_000));
            le16(r, o + 8, (int) Math.round(dPlus * 1000));
            le16(r, o + 10, (int) Math.round(dMinus * 1000));
            r[o + 12] = 0x01;
            le16(r, o + 13, (int) Math.round(celsius * 10));
        }
        r[63] = (byte) crc(r);
        return r;
    }

    private static void le32(byte[] r, int o, long v) {
        for (int i = 0; i < 4; i++) {
            r[o + i] = (byte) (v >> 8 * i);
        }
    }

    private static void le16(byte[] r, int o, int v) {
        r[o] = (byte) v;
        r[o + 1] = (byte) (v >> 8);
    }

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo comm = new UsbInterfaceInfo(0, 0, 0x02, 0x02, 0x01,
                List.of(new UsbEndpointInfo(0x83, TransferType.INTERRUPT, 8, 16)));
        UsbInterfaceInfo data = new UsbInterfaceInfo(1, 0, 0x0a, 0, 0, List.of(
                new UsbEndpointInfo(0x82, TransferType.BULK, 64, 0), new UsbEndpointInfo(0x02, TransferType.BULK, 64, 0)));
        UsbInterfaceInfo hid = new UsbInterfaceInfo(2, 0, 0x03, 0, 0, List.of(
                new UsbEndpointInfo(IN, TransferType.INTERRUPT, 64, 1), new UsbEndpointInfo(OUT, TransferType.INTERRUPT, 64, 1)));
        return new UsbDeviceInfo(model.vid, model.pid, 0x0200, 0xEF, 0x02, 0x01, "FNIRSI", model.product, null, "-", 0,
                List.of(comm, data, hid));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return interfaceNumber == 2 ? "usbhid" : "cdc_acm";
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "power meter stalls " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x21 && setup.request() == 0x0A) {
            return; // HID SET_IDLE
        }
        throw new UsbException(UsbException.Kind.STALL, "power meter stalls " + setup);
    }

    @Override
    public synchronized void out(int endpoint, byte[] c) throws UsbException {
        if (endpoint != OUT) {
            throw new UsbException(UsbException.Kind.STALL, "endpoint " + Integer.toHexString(endpoint) + " halted");
        }
        long now = System.nanoTime();
        expire(now);
        boolean paced = now - lastCommandAt >= PACING_NANOS;
        lastCommandAt = now;
        if (c.length != 64 || (c[0] & 0xFF) != 0xAA || (c[63] & 0xFF) != crc(c) || !paced && !streaming) {
            lostCommands++;
            return;
        }
        int cmd = c[1] & 0xFF;
        if (streaming) {
            if (cmd == 0x83) {
                lastKeepAlive = now;
            }
            return;
        }
        int expected = initStep == 0 ? 0x81 : initStep == 1 ? 0x82 : model == Model.FNB58 ? 0x82 : 0x83;
        if (cmd != expected) {
            initStep = cmd == 0x81 ? 1 : 0;
            return;
        }
        if (++initStep == 3) {
            streaming = true;
            garbageDue = true;
            lastKeepAlive = now;
            nextAt = now + REPORT_NANOS;
            initStep = 0;
        }
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        expire(nowNanos);
        if (endpoint != IN || !streaming) {
            return null;
        }
        if (nowNanos - nextAt < 0) {
            return null;
        }
        nextAt = Math.max(nextAt + REPORT_NANOS, nowNanos - 4 * REPORT_NANOS);
        reports++;
        if (garbageDue) {
            garbageDue = false;
            byte[] junk = new byte[64];
            random.nextBytes(junk);
            junk[0] = (byte) 0xAA;
            junk[1] = 0x04;
            for (int i = 0; i < 4; i++) {
                junk[2 + i * 15 + 12] = 0x01;
            }
            junk[63] = (byte) crc(junk);
            return junk;
        }
        double amps = 0.5 + random.nextInt(1000) / 1000.0;
        return dataReport(5.0 + (random.nextInt(21) - 10) / 1000.0, amps, 2.9, 0.1, 25.0 + random.nextInt(5) / 10.0);
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        expire(nowNanos);
        return endpoint == IN && streaming ? nextAt : Long.MAX_VALUE;
    }

    /**
     * No keep-alive for too long: the meter has stopped, whether or not anyone read meanwhile, so that a
     * late keep-alive or start finds it stopped.
     */
    private void expire(long nowNanos) {
        if (streaming && nowNanos - lastKeepAlive > (model == Model.FNB58 ? 3_000_000_000L : 1_000_000_000L)) {
            streaming = false;
            initStep = 0;
        }
    }

    @Override
    public synchronized void reset() {
        streaming = false;
        initStep = 0;
    }

    public synchronized long reports() {
        return reports;
    }

    public synchronized long lostCommands() {
        return lostCommands;
    }
}
