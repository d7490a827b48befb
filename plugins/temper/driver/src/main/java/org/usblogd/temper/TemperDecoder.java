package org.usblogd.temper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.usblogd.api.sample.Channel;

/**
 * The 8-byte reply to "read sensors": bytes 2–3 the internal temperature and bytes 4–5 the humidity or
 * the second probe, big-endian; 0x4E20 means no sensor there. The reply carries no checksum, so every
 * value is also held against what the variant's sensors can measure; one outside it is counted, not kept.
 */
final class TemperDecoder {
    static final int NO_SENSOR = 0x4E20;

    record Reading(String channel, double value) {
    }

    private final TemperVariant variant;
    private long bad;
    private long missing;
    private long implausible;
    private String lastImplausible = "";

    TemperDecoder(TemperVariant variant) {
        this.variant = variant;
    }

    /** The readings in a reply; empty (and counted) when the reply is short or holds no sensor value. */
    List<Reading> decode(byte[] reply, int length) {
        List<Reading> readings = new ArrayList<>(2);
        if (reply == null || length < 4 || reply.length < 4 || (reply[0] & 0xFF) != 0x80) {
            bad++;
            return readings;
        }
        int internal = (short) ((reply[2] & 0xFF) << 8 | reply[3] & 0xFF);
        if ((internal & 0xFFFF) == NO_SENSOR) {
            missing++;
        } else {
            temperature(readings, TemperDriver.TEMPERATURE, internal);
        }
        if (variant.second() != TemperVariant.Second.NONE && length >= 6 && reply.length >= 6) {
            int second = (short) ((reply[4] & 0xFF) << 8 | reply[5] & 0xFF);
            if ((second & 0xFFFF) == NO_SENSOR) {
                missing++;
            } else if (variant.second() == TemperVariant.Second.HUMIDITY) {
                humidity(readings, second);
            } else {
                temperature(readings, TemperDriver.PROBE, second);
            }
        }
        return readings;
    }

    private void temperature(List<Reading> readings, Channel channel, int raw) {
        double t = variant.temperature(raw);
        if (t < variant.minCelsius() || t > variant.maxCelsius()) {
            reject(channel, t, variant.minCelsius(), variant.maxCelsius());
        } else {
            readings.add(new Reading(channel.name(), t));
        }
    }

    private void humidity(List<Reading> readings, int raw) {
        double h = variant.humidity(raw);
        double slack = variant.humiditySlack();
        if (h < -slack || h > 100 + slack) {
            reject(TemperDriver.HUMIDITY, h, 0, 100);
        } else {
            readings.add(new Reading(TemperDriver.HUMIDITY.name(), Math.max(0, Math.min(100, h))));
        }
    }

    private void reject(Channel channel, double value, double min, double max) {
        implausible++;
        lastImplausible = String.format(Locale.ROOT, "%s %s %s (possible: %s to %s %s)", channel.name(),
                number(value), channel.unit(), number(min), number(max), channel.unit());
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    long bad() {
        return bad;
    }

    /** Values outside what the sensors can measure, dropped. */
    long implausible() {
        return implausible;
    }

    /** The last value dropped as implausible, with the range it missed. */
    String lastImplausible() {
        return lastImplausible;
    }

    /** Values a sensor reported as absent (0x4E20). */
    long missing() {
        return missing;
    }
}
