package org.usblogd.wensn;

/**
 * The meter's 2-byte reading (docs/devices.md §8): dB = (b0 + (b1 &amp; 3)·256)·0.1 + 30; b1 bits 2–4 the
 * range, bit 5 the weighting (A/C), bit 6 the response (fast/slow). Bit 7 is never set by a meter.
 */
final class WensnDecoder {

    /** One reading with the meter's settings at the time. */
    record Reading(double decibels, int range, char weighting, boolean slow) {
        String settings() {
            return "range " + range + ", weighting " + weighting + ", " + (slow ? "slow" : "fast");
        }
    }

    private long bad;

    /** The reading in the first {@code length} bytes, or null (counted) when they are too few or malformed. */
    Reading decode(byte[] data, int length) {
        if (data == null || length < 2 || data.length < 2 || (data[1] & 0x80) != 0) {
            bad++;
            return null;
        }
        int raw = (data[0] & 0xFF) + (data[1] & 0x03) * 256;
        double db = Math.round(raw + 300) / 10.0; // raw·0.1 + 30 without binary noise
        return new Reading(db, (data[1] >> 2) & 0x07, (data[1] & 0x20) == 0 ? 'A' : 'C', (data[1] & 0x40) != 0);
    }

    long bad() {
        return bad;
    }
}
