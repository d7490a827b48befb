package org.usblogd.usbtmc;

import java.nio.charset.StandardCharsets;

/**
 * USBTMC bulk message headers: 12 bytes of MsgID, bTag, ~bTag, 0, TransferSize
 * (little-endian, payload only), attributes, TermChar and two zeros; OUT messages padded to a multiple of 4.
 */
final class UsbtmcCodec {
    static final int HEADER = 12;
    static final int DEV_DEP_MSG_OUT = 1;
    static final int REQUEST_DEV_DEP_MSG_IN = 2;
    static final int DEV_DEP_MSG_IN = 2;

    /** A reply header as read from bulk IN. */
    record InHeader(int msgId, int tag, int transferSize, boolean eom) {
    }

    private UsbtmcCodec() {
    }

    /** The bTag after {@code tag}: 1..255, never 0. */
    static int nextTag(int tag) {
        return tag >= 255 ? 1 : tag + 1;
    }

    /** DEV_DEP_MSG_OUT with EOM: header, the command, zero padding to a multiple of 4. */
    static byte[] devDepMsgOut(int tag, String command) {
        byte[] payload = command.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[(HEADER + payload.length + 3) / 4 * 4];
        header(m, DEV_DEP_MSG_OUT, tag, payload.length, 0x01, 0);
        System.arraycopy(payload, 0, m, HEADER, payload.length);
        return m;
    }

    /** REQUEST_DEV_DEP_MSG_IN for at most {@code maxSize} bytes, optionally ending at a TermChar. */
    static byte[] requestDevDepMsgIn(int tag, int maxSize, int termChar) {
        byte[] m = new byte[HEADER];
        header(m, REQUEST_DEV_DEP_MSG_IN, tag, maxSize, termChar >= 0 ? 0x02 : 0, Math.max(0, termChar));
        return m;
    }

    private static void header(byte[] m, int msgId, int tag, int size, int attributes, int termChar) {
        m[0] = (byte) msgId;
        m[1] = (byte) tag;
        m[2] = (byte) ~tag;
        m[4] = (byte) size;
        m[5] = (byte) (size >> 8);
        m[6] = (byte) (size >> 16);
        m[7] = (byte) (size >> 24);
        m[8] = (byte) attributes;
        m[9] = (byte) termChar;
    }

    /**
     * The header of a bulk IN reply to the request with {@code tag} for at most {@code requested} bytes.
     *
     * @throws IllegalStateException saying what is wrong: too short, wrong MsgID, bTag or ~bTag, too large
     */
    static InHeader parseIn(byte[] r, int length, int tag, int requested) {
        if (length < HEADER) {
            throw new IllegalStateException("reply of " + length + " bytes has no USBTMC header");
        }
        int msgId = r[0] & 0xFF;
        if (msgId != DEV_DEP_MSG_IN) {
            throw new IllegalStateException("reply MsgID " + msgId + ", expected DEV_DEP_MSG_IN (2)");
        }
        if ((r[1] & 0xFF) != tag || (r[2] & 0xFF) != (~tag & 0xFF)) {
            throw new IllegalStateException(String.format("reply bTag %d/%d, expected %d/%d", r[1] & 0xFF,
                    r[2] & 0xFF, tag, ~tag & 0xFF));
        }
        long size = (r[4] & 0xFFL) | (r[5] & 0xFFL) << 8 | (r[6] & 0xFFL) << 16 | (r[7] & 0xFFL) << 24;
        if (size > requested) {
            throw new IllegalStateException("reply TransferSize " + size + " exceeds the " + requested + " requested");
        }
        return new InHeader(msgId, tag, (int) size, (r[8] & 0x01) != 0);
    }

    /**
     * The first number of an SCPI reply ("+1.23456789E+00", "1.5,V", "+0,\"No error\""), or null. NaN and
     * infinities ("NaN", "Infinity", "1E999") are returned as such, for the caller to reject.
     */
    static Double scpiNumber(String reply) {
        String first = reply.strip();
        int comma = first.indexOf(',');
        if (comma >= 0) {
            first = first.substring(0, comma);
        }
        try {
            return Double.parseDouble(first.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** SCPI's "not a number" and overload values: 9.9E37 and 9.91E37. */
    static boolean isScpiOverload(double v) {
        return Math.abs(v) >= 9.9e37;
    }
}
