package org.usblogd.usbtmc;

/** The GET_CAPABILITIES reply (24 bytes) as far as a poller cares. */
record Capabilities(int bcdUsbtmc, boolean termChar, boolean usb488, boolean scpi, boolean listenOnly,
        boolean talkOnly) {

    static Capabilities parse(byte[] r, int length) {
        if (length < 16 || r[0] != 0x01) {
            throw new IllegalStateException("GET_CAPABILITIES answered " + length + " bytes, status "
                    + (length > 0 ? String.format("0x%02x", r[0]) : "none"));
        }
        int bcd = (r[2] & 0xFF) | (r[3] & 0xFF) << 8;
        int bcd488 = (r[12] & 0xFF) | (r[13] & 0xFF) << 8;
        return new Capabilities(bcd, (r[5] & 0x01) != 0, bcd488 != 0, (r[15] & 0x08) != 0, (r[4] & 0x01) != 0,
                (r[4] & 0x02) != 0);
    }

    @Override
    public String toString() {
        return String.format("USBTMC %x.%02x%s%s%s", bcdUsbtmc >> 8, bcdUsbtmc & 0xFF, usb488 ? ", USB488" : "",
                scpi ? ", SCPI" : "", termChar ? ", TermChar" : "");
    }
}
