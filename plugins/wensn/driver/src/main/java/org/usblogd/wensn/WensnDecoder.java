package org.usblogd.wensn;

/**
 * The meter's 2-byte reading: dB = (b0 + (b1 &amp; 3)·256)·0.1 + 30; b1 bits 2–4 the range, bit 5 the
 * weighting (A/C), bit 6 the response (fast/slow). Bit 7 is never set by a meter.
 */
final class WensnDecoder {

    /** One reading with the meter's settings at the time. */
    record Reading(double decibels, int range, char weighting, boolean slow) {
        String settings() {
            return "range " + range + ", weighting " + weighting + ", " + (slow ? "slow" : "fast");
        }
    }

    /**
     * The meters measure from 30 to 130 dB. The encoding reaches 132.3 dB, and the reading has no checksum
     * to catch a corrupted byte, so a level above 130 dB is no measurement.
     */
    static final double MAX_DECIBELS = 130.0;

    private long bad;
    private long implausible;
    private double lastImplausible;

    /**
     * The reading in the first {@code length} bytes, or null (counted) when they are too few, malformed or
     * above the meter's range.
     */
    Reading decode(byte[] data, int length) {
        if (data == null || length < 2 || data.length < 2 || (data[1] & 0x80) != 0) {
            bad++;
            return null;
        }
        int raw = (data[0] & 0xFF) + (data[1] & 0x03) * 256;
        double db = Math.round(raw + 300) / 10.0; // raw·0.1 + 30 without binary noise
        if (db > MAX_DECIBELS) {
            implausible++;
            lastImplausible = db;
            return null;
        }
        return new Reading(db, (data[1] >> 2) & 0x07, (data[1] & 0x20) == 0 ? 'A' : 'C', (data[1] & 0x40) != 0);
    }

    long bad() {
        return bad;
    }

    /** Levels above what the meter measures, dropped. */
    long implausible() {
        return implausible;
    }

    /** The last level dropped as implausible, in dB. */
    double lastImplausible() {
        return lastImplausible;
    }
}
