package org.usblogd.serial;

import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * USB CDC-ACM (Arduino, Raspberry Pi Pico, ESP32): SET_LINE_CODING and SET_CONTROL_LINE_STATE on the
 * communication interface, bytes as they come on the data interface's bulk IN.
 */
final class CdcAcmChip implements SerialChip {
    private int in;

    @Override
    public String name() {
        return "cdc-acm";
    }

    @Override
    public void open(DeviceLink link, LineSettings s) throws UsbException {
        UsbInterfaceInfo comm = link.info().interfaces().stream()
                .filter(i -> i.interfaceClass() == 2 && i.interfaceSubClass() == 2).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "no CDC communication interface"));
        UsbInterfaceInfo data = link.info().interfaces().stream().filter(i -> i.interfaceClass() == 0x0a).findFirst()
                .orElseThrow(() -> new UsbException(UsbException.Kind.OTHER, "no CDC data interface"));
        in = SerialChip.bulk(data, true).address();
        link.claim(comm.number());
        link.claim(data.number());
        byte[] coding = lineCoding(s);
        link.control(0x21, 0x20, 0, comm.number(), coding, coding.length, 1_000);
        // DTR: Pico's stdio and many sketches send nothing until the host raises it
        SerialChip.out(link, 0x21, 0x22, (s.dtr() ? 1 : 0) | (s.rts() ? 2 : 0), comm.number());
    }

    static byte[] lineCoding(LineSettings s) {
        int b = s.baud();
        return new byte[] { (byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24),
            (byte) s.stopBits().ordinal(), (byte) s.parity().ordinal(), (byte) s.dataBits() };
    }

    @Override
    public int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException {
        return link.bulk(in, into, into.length, timeoutMs);
    }
}
