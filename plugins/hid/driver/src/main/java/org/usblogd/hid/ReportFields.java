package org.usblogd.hid;

import java.math.BigDecimal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.usblogd.api.config.ConfigCheck;

/**
 * The fields a user picked out of a device's reports ({@code field.NAME.offset}, {@code .length} 1–8,
 * {@code .endian} big|little, {@code .signed}, {@code .scale}, {@code .add}, {@code .unit}, {@code .min},
 * {@code .max}), and the decoding of a report into their values: value = raw·scale + add.
 *
 * <p>A report has no checksum and a HID device no datasheet here: only the user knows what their sensor
 * can measure. A value outside the field's optional {@code .min} and {@code .max} (a sensor's "no reading"
 * code such as 0x7FFF, a glitch) is counted and dropped, as is one that is no finite number.
 */
final class ReportFields {
    private static final List<String> KEYS = List.of("offset", "length", "endian", "signed", "scale", "add", "unit",
            "min", "max");

    record Field(String name, int offset, int length, boolean bigEndian, boolean signed, double scale, double add,
            String unit, double min, double max) {
        double value(byte[] r) {
            long raw = 0;
            for (int i = 0; i < length; i++) {
                int b = r[offset + (bigEndian ? i : length - 1 - i)] & 0xFF;
                raw = raw << 8 | b;
            }
            if (signed && length < 8 && (raw & 1L << (length * 8 - 1)) != 0) {
                raw -= 1L << (length * 8);
            }
            // eight unsigned bytes may not fit a long's sign
            double n = !signed && raw < 0 ? (raw >>> 1) * 2.0 + (raw & 1) : raw;
            double v = n * scale + add;
            // round away the binary noise of the scale (0.1 · 3 = 0.30000000000000004) where a double has
            // digits to spare for it; a long's range must not clip large values, nor make infinity a number
            return Math.abs(v) < 1e9 ? Math.rint(v * 1e9) / 1e9 : v;
        }
    }

    record Value(String channel, double value) {
    }

    private final List<Field> fields;
    private final int reportId;
    private final int minLength;
    private long bad;
    private long implausible;
    private String lastImplausible = "";

    private ReportFields(List<Field> fields, int reportId) {
        this.fields = List.copyOf(fields);
        this.reportId = reportId;
        this.minLength = fields.stream().mapToInt(f -> f.offset() + f.length()).max().orElse(0);
    }

    /**
     * Reads the field definitions from configuration properties.
     *
     * @throws IllegalArgumentException naming the key that is wrong, or when no field is defined
     */
    static ReportFields parse(Map<String, ?> properties) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("field.") && v != null) {
                String rest = k.substring("field.".length());
                int dot = rest.lastIndexOf('.');
                if (dot <= 0) {
                    throw new IllegalArgumentException(k + ": expected field.NAME.offset, .length, .endian, .signed,"
                            + " .scale, .add, .unit, .min or .max");
                }
                byName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>())
                        .put(rest.substring(dot + 1), v.toString().strip());
            }
        });
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no field.NAME.offset: name at least one field to record");
        }
        List<Field> fields = new ArrayList<>();
        byName.forEach((name, f) -> {
            for (String key : f.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException("field." + name + "." + key + ": unknown key");
                }
            }
            int offset = integer(name, f, "offset", null, 0, 4095);
            int length = integer(name, f, "length", "1", 1, 8);
            String endian = f.getOrDefault("endian", "little").toLowerCase(Locale.ROOT);
            if (!endian.equals("little") && !endian.equals("big")) {
                throw new IllegalArgumentException("field." + name + ".endian=" + endian + ": big or little");
            }
            double min = decimal(name, f, "min", "-Infinity");
            double max = decimal(name, f, "max", "Infinity");
            if (min > max) {
                throw new IllegalArgumentException("field." + name + ".min is above field." + name + ".max");
            }
            fields.add(new Field(name, offset, length, endian.equals("big"),
                    signed(name, f), decimal(name, f, "scale", "1"),
                    decimal(name, f, "add", "0"), f.getOrDefault("unit", "1"), min, max));
        });
        Object id = properties.get("report.id");
        int reportId = id == null || id.toString().isBlank() ? -1 : byteValue("report.id", id.toString().strip());
        return new ReportFields(fields, reportId);
    }

    /** A byte in decimal or hex (0x81), as report IDs and endpoint addresses are written. */
    static int byteValue(String key, String v) {
        try {
            int n = Integer.decode(v);
            if (n >= 0 && n <= 0xFF) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " = " + v + ": a byte, 0 to 255 or 0x00 to 0xff");
    }

    /** true or false, and nothing else: "yes" would silently have been false. */
    private static boolean signed(String name, Map<String, String> f) {
        String v = f.getOrDefault("signed", "false");
        Boolean b = ConfigCheck.strictBoolean(v);
        if (b == null) {
            throw new IllegalArgumentException("field." + name + ".signed=" + v + ": true or false");
        }
        return b;
    }

    private static int integer(String name, Map<String, String> f, String key, String fallback, int min, int max) {
        String v = f.getOrDefault(key, fallback);
        if (v == null) {
            throw new IllegalArgumentException("field." + name + "." + key + " is missing");
        }
        try {
            int n = Integer.decode(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field." + name + "." + key + "=" + v + ": a whole number from " + min
                    + " to " + max);
        }
    }

    /** A finite number; the {@code fallback} (which may be infinite) when the key is not set. */
    private static double decimal(String name, Map<String, String> f, String key, String fallback) {
        String v = f.get(key);
        if (v == null) {
            return Double.parseDouble(fallback);
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("field." + name + "." + key + "=" + v + ": a number");
        }
        return d;
    }

    List<Field> fields() {
        return fields;
    }

    /**
     * The values of a report; empty (counted as bad) when it is too short or carries another report ID.
     * Values outside their field's range are left out and counted as implausible.
     */
    List<Value> decode(byte[] report, int length) {
        if (refusal(report, length) != null) {
            bad++;
            return List.of();
        }
        List<Value> values = new ArrayList<>(fields.size());
        for (Field f : fields) {
            double v = f.value(report);
            String why = implausibility(f, v);
            if (why != null) {
                implausible++;
                lastImplausible = why;
            } else {
                values.add(new Value(f.name(), v));
            }
        }
        return values;
    }

    /** Why no field is read from a report (too short, another report ID), or null when they all are. */
    String refusal(byte[] report, int length) {
        if (report == null || length < minLength || report.length < minLength) {
            return "the report has " + (report == null ? 0 : Math.min(length, report.length)) + " byte(s); the fields"
                    + " need " + minLength;
        }
        if (reportId >= 0 && (length < 1 || (report[0] & 0xFF) != reportId)) {
            return "its report ID (first byte) is " + (length < 1 ? "missing" : String.format("0x%02x", report[0]))
                    + "; report.id keeps only " + String.format("0x%02x", reportId);
        }
        return null;
    }

    /**
     * Why a field's value is dropped (the field, the value, its unit and its configured range), or null when it
     * is kept: it must be a finite number within the field's range.
     */
    static String implausibility(Field f, double v) {
        if (Double.isFinite(v) && v >= f.min() && v <= f.max()) {
            return null;
        }
        return f.name() + " " + v + " " + f.unit() + " (configured: " + bound(f.min()) + " to " + bound(f.max()) + ")";
    }

    private static String bound(double b) {
        return Double.isInfinite(b) ? "any" : BigDecimal.valueOf(b).stripTrailingZeros().toPlainString();
    }

    long bad() {
        return bad;
    }

    /** Values dropped: outside their field's configured range, or no finite number. */
    long implausible() {
        return implausible;
    }

    /** The last value dropped as implausible, with its field's range. */
    String lastImplausible() {
        return lastImplausible;
    }
}
