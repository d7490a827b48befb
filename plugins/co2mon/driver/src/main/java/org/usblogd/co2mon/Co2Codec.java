package org.usblogd.co2mon;

/**
 * The byte-level format of the CO2 monitor's 8-byte reports. A decoded frame is
 * {@code [item, MSB, LSB, sum, 0x0D, 0, 0, 0]}; old firmware sends it encrypted with the key the host
 * gave in the feature report.
 */
final class Co2Codec {
    static final int REPORT_LENGTH = 8;
    private static final int[] OFFSETS = { 0x84, 0x47, 0x56, 0xD6, 0x07, 0x93, 0x93, 0x56 };

    /** An item and its 16-bit value. */
    record Frame(int item, int value) {
    }

    private Co2Codec() {
    }

    /**
     * Decodes a report from either firmware: a valid plain frame is taken as it is, otherwise the report is
     * decrypted with the key. (An encrypted report passes the plain check by chance about once in 65,536.)
     *
     * @return the frame, or null when the report is short or neither reading gives a valid frame
     */
    static Frame decode(byte[] report, int length, byte[] key) {
        if (report == null || length < REPORT_LENGTH || report.length < REPORT_LENGTH) {
            return null;
        }
        Frame plain = parse(report);
        return plain != null ? plain : parse(decrypt(report, key));
    }

    /** A frame when the terminator and checksum hold, else null. */
    static Frame parse(byte[] f) {
        int item = f[0] & 0xFF;
        int msb = f[1] & 0xFF;
        int lsb = f[2] & 0xFF;
        if ((f[4] & 0xFF) != 0x0D || ((item + msb + lsb) & 0xFF) != (f[3] & 0xFF)) {
            return null;
        }
        return new Frame(item, msb << 8 | lsb);
    }

    static byte[] decrypt(byte[] raw, byte[] key) {
        int[] b = { raw[2] & 0xFF, raw[4] & 0xFF, raw[0] & 0xFF, raw[7] & 0xFF,
                raw[1] & 0xFF, raw[6] & 0xFF, raw[5] & 0xFF, raw[3] & 0xFF };
        for (int i = 0; i < 8; i++) {
            b[i] ^= key[i] & 0xFF;
        }
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            int c = ((b[i] >> 3) | (b[(i + 7) % 8] << 5)) & 0xFF;
            out[i] = (byte) ((c - OFFSETS[i]) & 0xFF);
        }
        return out;
    }
}
