package org.usblogd.hid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields a user picked out of a device's reports ({@code field.NAME.offset}, {@code .length} 1–8,
 * {@code .endian} big|little, {@code .signed}, {@code .scale}, {@code .add}, {@code .unit}), and the
 * decoding of a report into their values: value = raw·scale + add.
 */
final class ReportFields {

    record Field(String name, int offset, int length, boolean bigEndian, boolean signed, double scale, double add,
            String unit) {
        double value(byte[] r) {
            long raw = 0;
            for (int i = 0; i < length; i++) {
                int b = r[offset + (bigEndian ? i : length - 1 - i)] & 0xFF;
                raw = raw << 8 | b;
            }
            if (signed && length < 8 && (raw & 1L << (length * 8 - 1)) != 0) {
                raw -= 1L << (length * 8);
            }
            return Math.round((raw * scale + add) * 1e9) / 1e9;
        }
    }

    record Value(String channel, double value) {
    }

    private final List<Field> fields;
    private final int reportId;
    private final int minLength;
    private long bad;

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
                            + " .scale, .add or .unit");
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
                if (!List.of("offset", "length", "endian", "signed", "scale", "add", "unit").contains(key)) {
                    throw new IllegalArgumentException("field." + name + "." + key + ": unknown key");
                }
            }
            int offset = integer(name, f, "offset", null, 0, 4095);
            int length = integer(name, f, "length", "1", 1, 8);
            String endian = f.getOrDefault("endian", "little").toLowerCase(Locale.ROOT);
            if (!endian.equals("little") && !endian.equals("big")) {
                throw new IllegalArgumentException("field." + name + ".endian=" + endian + ": big or little");
            }
            fields.add(new Field(name, offset, length, endian.equals("big"),
                    Boolean.parseBoolean(f.getOrDefault("signed", "false")), decimal(name, f, "scale", "1"),
                    decimal(name, f, "add", "0"), f.getOrDefault("unit", "1")));
        });
        Object id = properties.get("report.id");
        int reportId = id == null || id.toString().isBlank() ? -1 : Integer.decode(id.toString().strip());
        return new ReportFields(fields, reportId);
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

    private static double decimal(String name, Map<String, String> f, String key, String fallback) {
        String v = f.getOrDefault(key, fallback);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field." + name + "." + key + "=" + v + ": a number");
        }
    }

    List<Field> fields() {
        return fields;
    }

    /** The values of a report; empty (counted) when it is too short or carries another report ID. */
    List<Value> decode(byte[] report, int length) {
        if (report == null || length < minLength || report.length < minLength
                || reportId >= 0 && (length < 1 || (report[0] & 0xFF) != reportId)) {
            bad++;
            return List.of();
        }
        List<Value> values = new ArrayList<>(fields.size());
        for (Field f : fields) {
            values.add(new Value(f.name(), f.value(report)));
        }
        return values;
    }

    long bad() {
        return bad;
    }
}
