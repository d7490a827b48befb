package org.usblogd.audio;

import java.io.ByteArrayOutputStream;

/**
 * Configuration descriptors of USB microphones, built the way the class specifications lay them out, for
 * the parser's tests: a UAC1 full-speed microphone like the cheap "USB PnP Sound Device" dongles and a UAC2
 * high-speed one like a measurement microphone with a 24-bit mode.
 */
final class UacSamples {

    private UacSamples() {
    }

    static byte[] d(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** The descriptors after a configuration descriptor whose wTotalLength counts them all. */
    static byte[] configuration(byte[]... descriptors) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] d : descriptors) {
            body.writeBytes(d);
        }
        int total = 9 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(d(9, 0x02, total & 0xFF, total >> 8, 2, 1, 0, 0x80, 50));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] iface(int number, int alternate, int endpoints, int subclass, int protocol) {
        return d(9, 0x04, number, alternate, endpoints, 0x01, subclass, protocol, 0);
    }

    static byte[] rates24(int... rates) {
        byte[] b = new byte[3 * rates.length];
        for (int i = 0; i < rates.length; i++) {
            b[3 * i] = (byte) rates[i];
            b[3 * i + 1] = (byte) (rates[i] >> 8);
            b[3 * i + 2] = (byte) (rates[i] >> 16);
        }
        return b;
    }

    /** UAC1 format type I with a discrete list of rates. */
    static byte[] uac1Format(int channels, int subframe, int bits, int... rates) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(d(8 + 3 * rates.length, 0x24, 0x02, 0x01, channels, subframe, bits, rates.length));
        out.writeBytes(rates24(rates));
        return out.toByteArray();
    }

    static byte[] isoIn(int address, int maxPacketSize, int interval) {
        return d(9, 0x05, address, 0x05, maxPacketSize & 0xFF, maxPacketSize >> 8, interval, 0, 0);
    }

    static byte[] uac1Control() {
        return concat(iface(0, 0, 0, 0x01, 0x00),
                d(9, 0x24, 0x01, 0x00, 0x01, 0x1E, 0x00, 1, 1), // header: 1.00, one streaming interface: 1
                d(12, 0x24, 0x02, 1, 0x01, 0x02, 0, 1, 0, 0, 0, 0), // input terminal 1: microphone
                d(9, 0x24, 0x06, 2, 1, 1, 0x03, 0x00, 0), // feature unit 2 from 1: mute, volume
                d(9, 0x24, 0x03, 3, 0x01, 0x01, 0, 2, 0)); // output terminal 3: USB streaming, from 2
    }

    /**
     * A UAC1 microphone: alt 1 mono 16 bit at 44.1/48 kHz (100-byte packets), alt 2 stereo 16 bit at 48 kHz
     * (192), alt 3 mono 24 bit at 48 kHz (144), alt 4 mono 16 bit at 48 kHz but with 200-byte packets.
     */
    static byte[] uac1Microphone() {
        return configuration(uac1Control(), iface(1, 0, 0, 0x02, 0x00),
                iface(1, 1, 1, 0x02, 0x00), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(1, 2, 16, 44100, 48000),
                isoIn(0x82, 100, 1), d(7, 0x25, 0x01, 0x01, 0, 0, 0),
                iface(1, 2, 1, 0x02, 0x00), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(2, 2, 16, 48000),
                isoIn(0x82, 192, 1), d(7, 0x25, 0x01, 0x01, 0, 0, 0),
                iface(1, 3, 1, 0x02, 0x00), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(1, 3, 24, 48000),
                isoIn(0x82, 144, 1), d(7, 0x25, 0x01, 0x01, 0, 0, 0),
                iface(1, 4, 1, 0x02, 0x00), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(1, 2, 16, 48000),
                isoIn(0x82, 200, 1), d(7, 0x25, 0x01, 0x00, 0, 0, 0));
    }

    /**
     * A UAC2 high-speed microphone: clock source 0x10 (internal, programmable) behind clock selector 0x11;
     * alt 1 mono 16 bit, alt 2 mono 24 bit in 4-byte subslots, one packet per microframe (bInterval 1).
     */
    static byte[] uac2Microphone() {
        return configuration(d(8, 0x0B, 0, 2, 0x01, 0x00, 0x20, 0), // IAD: interfaces 0 and 1
                iface(0, 0, 0, 0x01, 0x20),
                d(9, 0x24, 0x01, 0x00, 0x02, 0x03, 0x40, 0x00, 0x00), // header 2.00, category microphone
                d(8, 0x24, 0x0A, 0x10, 0x03, 0x07, 0, 0), // clock source 0x10: internal programmable, freq r/w
                d(8, 0x24, 0x0B, 0x11, 1, 0x10, 0x03, 0), // clock selector 0x11 over 0x10
                d(17, 0x24, 0x02, 1, 0x01, 0x02, 0, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0), // input terminal: microphone
                d(14, 0x24, 0x06, 2, 1, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0), // feature unit 2 from 1
                d(12, 0x24, 0x03, 3, 0x01, 0x01, 0, 2, 0x11, 0, 0, 0), // output terminal: USB streaming
                iface(1, 0, 0, 0x02, 0x20),
                iface(1, 1, 1, 0x02, 0x20), d(16, 0x24, 0x01, 3, 0, 0x01, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0),
                d(6, 0x24, 0x02, 0x01, 2, 16), isoIn(0x81, 16, 1), d(8, 0x25, 0x01, 0, 0, 0, 0, 0),
                iface(1, 2, 1, 0x02, 0x20), d(16, 0x24, 0x01, 3, 0, 0x01, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0),
                d(6, 0x24, 0x02, 0x01, 4, 24), isoIn(0x81, 32, 1), d(8, 0x25, 0x01, 0, 0, 0, 0, 0));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
