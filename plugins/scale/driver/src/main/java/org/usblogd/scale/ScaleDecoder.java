package org.usblogd.scale;

import java.math.BigDecimal;

/**
 * The 6-byte report of a HID point-of-sale scale: report id 3 (or 4), status, unit, a signed power-of-ten
 * exponent and the weight as an unsigned little-endian 16-bit number. The report has no checksum and the
 * encoding reaches 65535·10⁶ of any unit, so a stable weight is also held against the scale's capacity.
 */
final class ScaleDecoder {

    /**
     * The models and how much they weigh at most. Past its capacity a scale reports "over weight" (status 6)
     * instead of a weight; the 1 % over it allows for the few divisions some scales show before they say so,
     * and for rounding in the unit shown (10 kg is 22.0 lb or 352.7 oz).
     */
    enum Model {
        M10(10_000), M25(25_000);

        final double capacityGrams;

        Model(double capacityGrams) {
            this.capacityGrams = capacityGrams;
        }

        double maxGrams() {
            return capacityGrams * 1.01;
        }

        /** The model of a device; the larger when the ID is not one we know, so that no real weight is lost. */
        static Model of(String vidPid) {
            return "0922:8003".equals(vidPid) ? M10 : M25;
        }
    }

    enum Status {
        FAULT(1), STABLE_ZERO(2), IN_MOTION(3), STABLE(4), UNDER_ZERO(5), OVER_WEIGHT(6), NEEDS_CALIBRATION(7),
        NEEDS_REZERO(8);

        final int code;

        Status(int code) {
            this.code = code;
        }

        /** Whether the report carries a weight worth storing. */
        boolean weighs() {
            return this == STABLE_ZERO || this == STABLE;
        }

        boolean isFault() {
            return this != STABLE_ZERO && this != STABLE && this != IN_MOTION;
        }

        String text() {
            return name().toLowerCase().replace('_', ' ');
        }

        static Status of(int code) {
            for (Status s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return null;
        }
    }

    /** One report: the status, and the weight in {@code unit} (null unit when the scale named none we know). */
    record Reading(Status status, String unit, double weight) {
    }

    /** HID POS usage "weight unit" codes, as the HID usage tables number them. */
    private static final String[] UNITS = { null, "mg", "g", "kg", "ct", "taels", "gr", "dwt", "t", "ton", "ozt",
        "oz", "lb" };
    /** Grams per unit, in the same order; the tael is the lightest in use (37.5 g), so none is taken for too much. */
    private static final double[] GRAMS = { 0, 0.001, 1, 1_000, 0.2, 37.5, 0.06479891, 1.55517384, 1_000_000,
        907_184.74, 31.1034768, 28.349523125, 453.59237 };

    private final Model model;
    private long bad;
    private long implausible;
    private String lastImplausible = "";

    ScaleDecoder(Model model) {
        this.model = model;
    }

    /** The report's status and weight, or null (counted) when it is short, malformed or weighs the impossible. */
    Reading decode(byte[] r, int length) {
        if (r == null || length < 6 || r.length < 6 || (r[0] != 3 && r[0] != 4)) {
            bad++;
            return null;
        }
        Status status = Status.of(r[1]);
        int unitCode = r[2] & 0xFF;
        if (status == null || unitCode >= UNITS.length || UNITS[unitCode] == null) {
            bad++;
            return null;
        }
        int exponent = r[3]; // signed
        if (exponent < -6 || exponent > 6) {
            bad++;
            return null;
        }
        int raw = (r[4] & 0xFF) | (r[5] & 0xFF) << 8;
        double weight = exponent >= 0 ? raw * Math.pow(10, exponent)
                : Math.round(raw * Math.pow(10, exponent) * 1e6) / 1e6;
        if (status.weighs() && weight * GRAMS[unitCode] > model.maxGrams()) {
            implausible++;
            lastImplausible = BigDecimal.valueOf(weight).stripTrailingZeros().toPlainString() + " " + UNITS[unitCode]
                    + " on " + model + " (capacity " + (int) (model.capacityGrams / 1_000) + " kg)";
            return null;
        }
        return new Reading(status, UNITS[unitCode], weight);
    }

    long bad() {
        return bad;
    }

    /** Stable weights beyond the scale's capacity, dropped. */
    long implausible() {
        return implausible;
    }

    /** The last weight dropped as implausible. */
    String lastImplausible() {
        return lastImplausible;
    }
}
