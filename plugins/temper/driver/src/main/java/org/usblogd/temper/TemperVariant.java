package org.usblogd.temper;

import java.util.Locale;

/**
 * What a TEMPer is, as its firmware string says (several hardware generations share USB IDs): how its
 * raw values scale, what its second value is, and what its sensors can measure.
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

    /**
     * The coldest temperature the variant's sensors measure. The FM75 and the probes PCsensor fits measure
     * from −55 °C; the Si7021 from −40 °C (its formula would reach −46.85 °C, which it never reports).
     */
    double minCelsius() {
        return scaling == Scaling.SI7021 ? -40 : -55;
    }

    /** The hottest: 125 °C for the FM75, the Si7021 and the probes alike. */
    double maxCelsius() {
        return 125;
    }

    /**
     * How far past 0 and 100 %RH a humidity reading may go and still be one (then taken as 0 or 100): the
     * Si7021's datasheet says readings near the ends come out slightly beyond them, within its accuracy of
     * ±3 %RH, and may be truncated; the V3.x/V4.x firmware sends values already within 0 to 100.
     */
    double humiditySlack() {
        return scaling == Scaling.SI7021 ? 3 : 0;
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
