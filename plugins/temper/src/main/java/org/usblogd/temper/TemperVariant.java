package org.usblogd.temper;

import java.util.Locale;

/**
 * What a TEMPer is, as its firmware string says (several hardware generations share USB IDs): how its
 * raw values scale and what its second value is. docs/devices.md §2.
 */
record TemperVariant(String firmware, Scaling scaling, Second second) {

    enum Scaling {
        /** FM75 sensors of the V1.x generation: raw/256 °C. */
        FM75,
        /** The V3.x and V4.x generations: raw/100 for °C and %RH. */
        CENTI,
        /** Si7021: T = raw·175.72/65536 − 46.85, RH = raw·125/65536 − 6. */
        SI7021
    }

    enum Second {
        NONE, HUMIDITY, PROBE
    }

    /** The variant a firmware string names; {@code vidPid} decides when the string says too little. */
    static TemperVariant of(String firmware, String vidPid) {
        String f = firmware == null ? "" : firmware.strip();
        String u = f.toUpperCase(Locale.ROOT);
        Second second = u.contains("HUM") ? Second.HUMIDITY
                : u.startsWith("TEMPER2") || u.startsWith("TEMPERX") ? Second.PROBE : Second.NONE;
        Scaling scaling;
        if (u.matches(".*V[34]\\..*")) {
            scaling = Scaling.CENTI;
        } else if (u.contains("HUM") && u.matches(".*V1\\..*")) {
            scaling = Scaling.SI7021;
        } else if (u.matches(".*V1\\..*")) {
            scaling = Scaling.FM75;
        } else {
            scaling = switch (vidPid) {
            case "0c45:7401" -> Scaling.FM75;
            case "0c45:7402" -> Scaling.SI7021;
            default -> Scaling.CENTI;
            };
            if (f.isEmpty() && "0c45:7402".equals(vidPid)) {
                second = Second.HUMIDITY;
            }
        }
        return new TemperVariant(f.isEmpty() ? "unknown (" + vidPid + ")" : f, scaling, second);
    }

    double temperature(int raw) {
        return switch (scaling) {
        case FM75 -> round(raw / 256.0);
        case CENTI -> round(raw / 100.0);
        case SI7021 -> round(raw * 175.72 / 65536 - 46.85);
        };
    }

    double humidity(int raw) {
        return switch (scaling) {
        case SI7021 -> round((raw & 0xFFFF) * 125.0 / 65536 - 6);
        default -> round(raw / 100.0);
        };
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
