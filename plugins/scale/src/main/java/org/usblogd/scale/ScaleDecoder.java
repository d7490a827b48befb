package org.usblogd.scale;

/**
 * The 6-byte report of a HID point-of-sale scale (docs/devices.md §7): report id 3 (or 4), status, unit,
 * a signed power-of-ten exponent and the weight as an unsigned little-endian 16-bit number.
 */
final class ScaleDecoder {

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

    private long bad;

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
        return new Reading(status, UNITS[unitCode], weight);
    }

    long bad() {
        return bad;
    }
}
