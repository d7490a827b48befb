package org.usblogd.co2mon;

import java.math.BigDecimal;
import java.util.Locale;

import org.usblogd.api.sample.Channel;

/**
 * Turns reports into readings, one monitor at a time: picks the items we know, converts their units and
 * drops what cannot be a measurement. Counts what it dropped so the session can report it.
 *
 * <p>A valid checksum does not make a value possible: the sum is one byte over three bytes, and frames at
 * the ends of the raw scale (−273.15 and 3822.79 °C) have come with their checksums right. So every value
 * is also held against what the monitor can measure.
 */
final class Co2Decoder {
    static final int ITEM_CO2 = 0x50;
    static final int ITEM_TEMPERATURE = 0x42;
    static final int ITEM_HUMIDITY = 0x41;
    /** One source reports humidity under this item instead. */
    static final int ITEM_HUMIDITY_ALT = 0x44;
    /** The sensors measure up to 10,000 ppm at most; higher values are the start-up glitch (~25,000). */
    static final int CO2_MAX_PPM = 10_000;
    /**
     * The monitors are made to work from 0 to 50 °C and their modules are characterised from −20 to 60 °C;
     * the raw scale reaches from −273.15 to 3822.79 °C, so a reading beyond that is no room temperature.
     */
    static final double TEMPERATURE_MIN = -20;
    static final double TEMPERATURE_MAX = 60;
    /** Relative humidity cannot exceed 100 %; 0 is what units without the sensor send (ignored, not rejected). */
    static final double HUMIDITY_MAX = 100;

    record Reading(String channel, double value) {
    }

    private final byte[] key;
    private long bad;
    private long implausible;
    private String lastImplausible = "";
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
            return within(Co2MonDriver.CO2, f.value(), 0, CO2_MAX_PPM);
        case ITEM_TEMPERATURE:
            // raw/16 has four decimals and 273.15 two: round away the binary noise of the subtraction
            return within(Co2MonDriver.TEMPERATURE, Math.round((f.value() / 16.0 - 273.15) * 1e4) / 1e4,
                    TEMPERATURE_MIN, TEMPERATURE_MAX);
        case ITEM_HUMIDITY:
        case ITEM_HUMIDITY_ALT:
            if (f.value() == 0) {
                ignored++; // units without the sensor report 0
                return null;
            }
            return within(Co2MonDriver.HUMIDITY, f.value() / 100.0, 0, HUMIDITY_MAX);
        default:
            ignored++;
            return null;
        }
    }

    private Reading within(Channel channel, double value, double min, double max) {
        if (value < min || value > max) {
            implausible++;
            lastImplausible = String.format(Locale.ROOT, "%s %s %s (possible: %s to %s %s)", channel.name(),
                    number(value), channel.unit(), number(min), number(max), channel.unit());
            return null;
        }
        return new Reading(channel.name(), value);
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    long bad() {
        return bad;
    }

    /** Values outside what the monitor can measure, dropped. */
    long implausible() {
        return implausible;
    }

    /** The last value dropped as implausible, with the range it missed. */
    String lastImplausible() {
        return lastImplausible;
    }

    long ignored() {
        return ignored;
    }
}
