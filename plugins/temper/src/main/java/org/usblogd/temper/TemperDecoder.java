package org.usblogd.temper;

import java.util.ArrayList;
import java.util.List;

/**
 * The 8-byte reply to "read sensors": bytes 2–3 the internal temperature and bytes 4–5 the humidity or
 * the second probe, big-endian; 0x4E20 means no sensor there.
 */
final class TemperDecoder {
    static final int NO_SENSOR = 0x4E20;

    record Reading(String channel, double value) {
    }

    private final TemperVariant variant;
    private long bad;
    private long missing;

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
            readings.add(new Reading(TemperDriver.TEMPERATURE.name(), variant.temperature(internal)));
        }
        if (variant.second() != TemperVariant.Second.NONE && length >= 6 && reply.length >= 6) {
            int second = (short) ((reply[4] & 0xFF) << 8 | reply[5] & 0xFF);
            if ((second & 0xFFFF) == NO_SENSOR) {
                missing++;
            } else if (variant.second() == TemperVariant.Second.HUMIDITY) {
                readings.add(new Reading(TemperDriver.HUMIDITY.name(), variant.humidity(second)));
            } else {
                readings.add(new Reading(TemperDriver.PROBE.name(), variant.temperature(second)));
            }
        }
        return readings;
    }

    long bad() {
        return bad;
    }

    /** Values a sensor reported as absent (0x4E20). */
    long missing() {
        return missing;
    }
}
