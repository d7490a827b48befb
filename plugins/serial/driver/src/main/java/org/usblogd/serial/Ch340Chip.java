package org.usblogd.serial;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/** WCH CH340/CH341: vendor register writes for rate and framing, modem lines inverted; bulk IN is pure data. */
final class Ch340Chip implements SerialChip {
    private int in;

    @Override
    public String name() {
        return "ch340";
    }

    /** Registers 0x1312 (divisor and prescaler) and 0x0f2c (factor) for a baud rate. */
    static int[] baudRegisters(int baud) {
        long factor = 1_532_620_800L / baud;
        int divisor = 3;
        while (factor > 0xfff0 && divisor > 0) {
            factor >>= 3;
            divisor--;
        }
        factor = 0x10000 - factor;
        return new int[] { (int) (factor & 0xff00) | divisor, (int) (factor & 0xff) };
    }

    static int lcr(LineSettings s) {
        int lcr = 0xC0 | (s.dataBits() - 5);
        if (s.parity() != LineSettings.Parity.NONE) {
            lcr |= 0x08 | switch (s.parity()) {
            case EVEN -> 0x10;
            case MARK -> 0x20;
            case SPACE -> 0x30;
            default -> 0;
            };
        }
        return s.stopBits() == LineSettings.StopBits.ONE ? lcr : lcr | 0x04;
    }

    @Override
    public void open(DeviceLink link, LineSettings s) throws UsbException {
        in = SerialChip.bulk(SerialChip.firstInterface(link), true).address();
        link.claim(0);
        byte[] version = new byte[2];
        link.control(0xC0, 0x5F, 0, 0, version, 2, 1_000);
        SerialChip.out(link, 0x40, 0xA1, 0, 0); // serial init
        int[] regs = baudRegisters(s.baud());
        SerialChip.out(link, 0x40, 0x9A, 0x1312, regs[0]);
        SerialChip.out(link, 0x40, 0x9A, 0x0f2c, regs[1]);
        SerialChip.out(link, 0x40, 0x9A, 0x2518, lcr(s));
        SerialChip.out(link, 0x40, 0xA4, ~((s.dtr() ? 0x20 : 0) | (s.rts() ? 0x40 : 0)) & 0xFF, 0);
    }

    @Override
    public int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException {
        return link.bulk(in, into, into.length, timeoutMs);
    }
}
