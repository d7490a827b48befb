package org.usblogd.fnirsi;

/**
 * Framing of the meters' 64-byte HID reports: 0xAA, a command or packet type, payload,
 * and a CRC-8 (polynomial 0x39, initial value 0x42, not reflected) over bytes 1 to 62 in byte 63.
 */
final class FnirsiCodec {
    static final int REPORT = 64;
    static final int START = 0xAA;

    private FnirsiCodec() {
    }

    static int crc(byte[] report) {
        int crc = 0x42;
        for (int i = 1; i <= 62; i++) {
            crc ^= report[i] & 0xFF;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x39) & 0xFF : crc << 1 & 0xFF;
            }
        }
        return crc;
    }

    /** The 64-byte command {@code AA cmd 00 ... 00 CRC}. */
    static byte[] command(int cmd) {
        byte[] r = new byte[REPORT];
        r[0] = (byte) START;
        r[1] = (byte) cmd;
        r[63] = (byte) crc(r);
        return r;
    }
}
