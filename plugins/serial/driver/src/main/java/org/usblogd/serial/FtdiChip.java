package org.usblogd.serial;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;

/**
 * FTDI FT232R/FT232H: vendor requests set the line up, and every max-packet-size
 * chunk of bulk IN starts with two modem/line status bytes that are not data.
 */
final class FtdiChip implements SerialChip {
    private static final int PORT_A = 1;
    private static final int[] FRACTION_CODE = { 0, 3, 2, 4, 1, 5, 6, 7 };
    private int in;
    private int packet;
    private byte[] raw = new byte[0];

    @Override
    public String name() {
        return "ftdi";
    }

    /** The 17-bit divisor value of the 3 MHz encoding: wValue is its low 16 bits, wIndex bit 0 the 17th. */
    static int baudValue(int baud) {
        int divisor3 = (int) Math.round(48_000_000.0 / (2.0 * baud));
        return divisor3 >> 3 | FRACTION_CODE[divisor3 & 7] << 14;
    }

    /** Payload of a transfer: each chunk of {@code packet} bytes without its 2 status bytes. */
    static int strip(byte[] raw, int length, int packet, byte[] into) {
        int n = 0;
        for (int chunk = 0; chunk < length; chunk += packet) {
            int payload = Math.min(packet, length - chunk) - 2;
            if (payload > 0) {
                System.arraycopy(raw, chunk + 2, into, n, payload);
                n += payload;
            }
        }
        return n;
    }

    @Override
    public void open(DeviceLink link, LineSettings s) throws UsbException {
        UsbEndpointInfo e = SerialChip.bulk(SerialChip.firstInterface(link), true);
        in = e.address();
        packet = e.maxPacketSize();
        link.claim(0);
        SerialChip.out(link, 0x40, 0x00, 0, PORT_A); // reset
        SerialChip.out(link, 0x40, 0x01, s.dtr() ? 0x0101 : 0x0100, PORT_A);
        SerialChip.out(link, 0x40, 0x01, s.rts() ? 0x0202 : 0x0200, PORT_A);
        SerialChip.out(link, 0x40, 0x02, 0, PORT_A); // no flow control
        int value = baudValue(s.baud());
        SerialChip.out(link, 0x40, 0x03, value & 0xFFFF, value >> 16);
        SerialChip.out(link, 0x40, 0x04, s.dataBits() | s.parity().ordinal() << 8 | s.stopBits().ordinal() << 11,
                PORT_A);
        SerialChip.out(link, 0x40, 0x09, 16, PORT_A); // latency timer, as Linux sets it
    }

    @Override
    public int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException {
        if (raw.length != into.length) {
            raw = new byte[into.length];
        }
        int n = link.bulk(in, raw, raw.length, timeoutMs);
        return strip(raw, n, packet, into);
    }
}
