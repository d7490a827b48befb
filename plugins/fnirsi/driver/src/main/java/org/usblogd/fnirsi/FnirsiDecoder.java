package org.usblogd.fnirsi;

import java.util.ArrayList;
import java.util.List;

/**
 * A data report holds four samples of 15 bytes from byte 2: voltage and current (LE32, 10 µV / 10 µA),
 * D+ and D− (LE16, mV), a constant 0x01, and the temperature (LE16, 0.1 °C).
 *
 * <p>A CRC-8 lets one corrupted report in 256 through, and then every word in it is noise: 42,949 V or
 * 6,553 °C. So each sample is also held against what the meters measure, and a report with a sample
 * outside it is dropped whole (its samples share the one CRC).
 */
final class FnirsiDecoder {
    static final int DATA = 0x04;
    static final int INFO = 0x03;
    static final int SAMPLES_PER_REPORT = 4;
    private static final int SAMPLE_BYTES = 15;
    /**
     * The meters are rated for buses of up to 28 V (the FNB58, for USB PD's 28 V; the FNB48 24 V); 30 V
     * leaves room for a reading a little past the rating. D+ and D− are measured against the same ground,
     * and a data line shorted to VBUS reads VBUS, no more, so they share the bound.
     */
    static final double MAX_VOLTS = 30;
    /** Rated for 7 A at most (the FNB58); 8 A leaves room for a reading a little past it. */
    static final double MAX_AMPS = 8;
    /**
     * The meter's own temperature: its electronics and display stop working long before 100 °C. (The
     * field is unsigned: nothing below 0 °C can arrive as such.)
     */
    static final double MAX_CELSIUS = 100;

    /** One sample; {@code index} 0 is the oldest of its report. */
    record Sample(int index, double volts, double amps, double dPlusVolts, double dMinusVolts, double celsius) {
    }

    private long bad;
    private long other;
    private long implausible;
    private String lastImplausible = "";

    /**
     * The samples of a data report; empty when it is not one (counted as bad or as other) or when a sample
     * holds what no meter measures (counted as implausible).
     */
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
            Sample s = new Sample(i, le32(r, o) / 100_000.0, le32(r, o + 4) / 100_000.0, le16(r, o + 8) / 1_000.0,
                    le16(r, o + 10) / 1_000.0, le16(r, o + 13) / 10.0);
            String why = implausible(s);
            if (why != null) {
                implausible++;
                lastImplausible = "sample " + i + ": " + why;
                samples.clear();
                return samples;
            }
            samples.add(s);
        }
        return samples;
    }

    /** What in the sample no meter can measure, or null. */
    private static String implausible(Sample s) {
        if (s.volts() > MAX_VOLTS) {
            return s.volts() + " V (possible: 0 to " + MAX_VOLTS + " V)";
        }
        if (s.amps() > MAX_AMPS) {
            return s.amps() + " A (possible: 0 to " + MAX_AMPS + " A)";
        }
        if (s.dPlusVolts() > MAX_VOLTS || s.dMinusVolts() > MAX_VOLTS) {
            return "D+ " + s.dPlusVolts() + " V, D- " + s.dMinusVolts() + " V (possible: 0 to " + MAX_VOLTS + " V)";
        }
        if (s.celsius() > MAX_CELSIUS) {
            return s.celsius() + " °C (possible: 0 to " + MAX_CELSIUS + " °C)";
        }
        return null;
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

    /** Data reports dropped because a sample in them held what no meter measures. */
    long implausible() {
        return implausible;
    }

    /** Why the last implausible report was dropped. */
    String lastImplausible() {
        return lastImplausible;
    }
}
