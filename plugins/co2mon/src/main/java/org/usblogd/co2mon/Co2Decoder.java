package org.usblogd.co2mon;

/**
 * Turns reports into readings, one monitor at a time: picks the items we know, converts their units and
 * drops what cannot be a measurement. Counts what it dropped so the session can report it.
 */
final class Co2Decoder {
    static final int ITEM_CO2 = 0x50;
    static final int ITEM_TEMPERATURE = 0x42;
    static final int ITEM_HUMIDITY = 0x41;
    /** One source reports humidity under this item instead. */
    static final int ITEM_HUMIDITY_ALT = 0x44;
    /** The sensors measure up to 10,000 ppm at most; higher values are the start-up glitch (~25,000). */
    static final int CO2_MAX_PPM = 10_000;

    record Reading(String channel, double value) {
    }

    private final byte[] key;
    private long bad;
    private long spurious;
    private long ignored;

    Co2Decoder(byte[] key) {
        this.key = key.clone();
    }

    /** The reading in the report, or null for bad reports, unknown items and implausible values. */
    Reading decode(byte[] report, int length) {
        Co2Codec.Frame f = Co2Codec.decode(report, length, key);
        if (f == null) {
            bad++;
            return null;
        }
        switch (f.item()) {
        case ITEM_CO2:
            if (f.value() > CO2_MAX_PPM) {
                spurious++;
                return null;
            }
            return new Reading(Co2MonDriver.CO2.name(), f.value());
        case ITEM_TEMPERATURE:
            // raw/16 has four decimals and 273.15 two: round away the binary noise of the subtraction
            return new Reading(Co2MonDriver.TEMPERATURE.name(), Math.round((f.value() / 16.0 - 273.15) * 1e4) / 1e4);
        case ITEM_HUMIDITY:
        case ITEM_HUMIDITY_ALT:
            if (f.value() == 0 || f.value() > 10_000) {
                ignored++; // units without the sensor report 0
                return null;
            }
            return new Reading(Co2MonDriver.HUMIDITY.name(), f.value() / 100.0);
        default:
            ignored++;
            return null;
        }
    }

    long bad() {
        return bad;
    }

    long spurious() {
        return spurious;
    }

    long ignored() {
        return ignored;
    }
}
