package org.usblogd.serial.twin;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * An FT232R adapter (0403:6001) wired to a 9600-baud instrument printing {@code 21.50,45.2,1013.2} lines
 * (docs/devices.md §5): every 64-byte packet of bulk IN 0x81 starts with two status bytes, one transfer may
 * carry several packets, and an idle adapter sends status-only packets every latency period. The rate the
 * host sets is decoded from SET_BAUD_RATE (3 MHz encoding); within 3 % of 9600 is 9600.
 */
public final class FtdiSerialTwin extends SerialTwin {
    private static final int OWN_BAUD = 9600;
    private static final int[] CODE_TO_EIGHTHS = { 0, 4, 2, 1, 3, 5, 6, 7 };
    private static final byte[] STATUS = { 0x31, 0x60 };
    private long latencyNanos = 16_000_000;
    private long lastStatusAt;

    public FtdiSerialTwin(long periodNanos, long seed) {
        super(0x81, OWN_BAUD, periodNanos, n -> String.format(Locale.ROOT, "%.2f,%.1f,%.1f\r\n", 20 + (n % 10) / 10.0,
                40 + (n % 7) / 10.0, 1010 + (n % 5) / 10.0), seed);
    }

    /** The baud rate a SET_BAUD_RATE request asks for in the 3 MHz encoding. */
    public static int baud(int wValue, int wIndex) {
        int code = (wValue >> 14) & 3 | (wIndex & 1) << 2;
        int divisor3 = (wValue & 0x3FFF) << 3 | CODE_TO_EIGHTHS[code];
        return divisor3 == 0 ? 3_000_000 : (int) Math.round(24_000_000.0 / divisor3);
    }

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x0403, 0x6001, 0x0600, 0, 0, 0, "FTDI", "FT232R USB UART", "A50285BI", "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xff, 0xff, 0xff, List.of(
                        new UsbEndpointInfo(0x81, TransferType.BULK, 64, 0),
                        new UsbEndpointInfo(0x02, TransferType.BULK, 64, 0)))));
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "ftdi_sio";
    }

    @Override
    protected synchronized boolean talking() {
        return hostBaud != 0;
    }

    @Override
    protected int maxPayload() {
        return 3 * 62;
    }

    @Override
    protected byte[] frame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payload.length; i += 62) {
            out.writeBytes(STATUS);
            out.write(payload, i, Math.min(62, payload.length - i));
        }
        return out.toByteArray();
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        byte[] data = super.in(endpoint, nowNanos);
        if (data != null || endpoint != 0x81 || !talking()) {
            return data;
        }
        if (nowNanos - lastStatusAt >= latencyNanos) {
            lastStatusAt = nowNanos;
            return STATUS.clone();
        }
        return null;
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long nowNanos) {
        long data = super.nextInNanos(endpoint, nowNanos);
        return data == Long.MAX_VALUE ? data : Math.min(data, lastStatusAt + latencyNanos);
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() == 0xC0 && setup.request() == 0x05) {
            return STATUS.clone(); // GET_MODEM_STATUS
        }
        throw stall("FT232R", setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() != 0x40) {
            throw stall("FT232R", setup);
        }
        switch (setup.request()) {
        case 0x00, 0x02, 0x04 -> {
            // reset / purge, flow control, data format: accepted
        }
        case 0x01 -> {
            if ((setup.value() & 0x0100) != 0) {
                dtr = (setup.value() & 1) != 0;
            }
        }
        case 0x03 -> {
            int asked = baud(setup.value(), setup.index());
            hostBaud = Math.abs(asked - OWN_BAUD) <= OWN_BAUD * 0.03 ? OWN_BAUD : asked;
        }
        case 0x09 -> latencyNanos = Math.max(1, setup.value()) * 1_000_000L;
        default -> throw stall("FT232R", setup);
        }
    }
}
