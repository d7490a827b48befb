package org.usblogd.serial;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/** Silicon Labs CP210x: interface requests (0x41) to enable it and set rate, framing and modem lines. */
final class Cp210xChip implements SerialChip {
    private int in;

    @Override
    public String name() {
        return "cp210x";
    }

    static int lineControl(LineSettings s) {
        return s.dataBits() << 8 | s.parity().ordinal() << 4 | s.stopBits().ordinal();
    }

    @Override
    public void open(DeviceLink link, LineSettings s) throws UsbException {
        in = SerialChip.bulk(SerialChip.firstInterface(link), true).address();
        link.claim(0);
        SerialChip.out(link, 0x41, 0x00, 1, 0); // IFC_ENABLE
        int b = s.baud();
        byte[] rate = { (byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24) };
        link.control(0x41, 0x1E, 0, 0, rate, 4, 1_000);
        SerialChip.out(link, 0x41, 0x03, lineControl(s), 0);
        SerialChip.out(link, 0x41, 0x07, 0x0300 | (s.dtr() ? 1 : 0) | (s.rts() ? 2 : 0), 0);
    }

    @Override
    public int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException {
        return link.bulk(in, into, into.length, timeoutMs);
    }
}
