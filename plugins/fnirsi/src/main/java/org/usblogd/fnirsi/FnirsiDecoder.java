package org.usblogd.fnirsi;

import java.util.ArrayList;
import java.util.List;

/**
 * A data report holds four samples of 15 bytes from byte 2: voltage and current (LE32, 10 µV / 10 µA),
 * D+ and D− (LE16, mV), a constant 0x01, and the temperature (LE16, 0.1 °C).
 */
final class FnirsiDecoder {
    static final int DATA = 0x04;
    static final int INFO = 0x03;
    static final int SAMPLES_PER_REPORT = 4;
    private static final int SAMPLE_BYTES = 15;

    /** One sample; {@code index} 0 is the oldest of its report. */
    record Sample(int index, double volts, double amps, double dPlusVolts, double dMinusVolts, double celsius) {
    }

    private long bad;
    private long other;

    /** The samples of a data report; empty when it is not one (counted as bad or as other). */
    List<Sample> decode(byte[] r, int length) {
        List<Sample> samples = new ArrayList<>(SAMPLES_PER_REPORT);
        if (r == null || length < FnirsiCodec.REPORT || r.length < FnirsiCodec.REPORT
                || (r[0] & 0xFF) != FnirsiCodec.START || (r[63] & 0xFF) != FnirsiCodec.crc(r)) {
            bad++;
            return samples;
        }
        if (r[1] != DATA) {
            other++; // info packets and answers to commands
            return samples;
        }
        for (int i = 0; i < SAMPLES_PER_REPORT; i++) {
            int o = 2 + i * SAMPLE_BYTES;
            if (r[o + 12] != 0x01) {
                bad++;
                samples.clear();
                return samples;
            }
            samples.add(new Sample(i, le32(r, o) / 100_000.0, le32(r, o + 4) / 100_000.0, le16(r, o + 8) / 1_000.0,
                    le16(r, o + 10) / 1_000.0, le16(r, o + 13) / 10.0));
        }
        return samples;
    }

    private static long le32(byte[] r, int o) {
        return (r[o] & 0xFFL) | (r[o + 1] & 0xFFL) << 8 | (r[o + 2] & 0xFFL) << 16 | (r[o + 3] & 0xFFL) << 24;
    }

    private static int le16(byte[] r, int o) {
        return (r[o] & 0xFF) | (r[o + 1] & 0xFF) << 8;
    }

    long bad() {
        return bad;
    }

    long other() {
        return other;
    }
}
