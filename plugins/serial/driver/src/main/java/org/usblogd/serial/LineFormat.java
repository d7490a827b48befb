package org.usblogd.serial;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a line becomes values, as the configuration says: {@code format = csv} with {@code csv.columns}
 * (names in order, {@code -} to skip) and {@code csv.separator}; {@code format = keyvalue} (pairs such as
 * {@code t=21.5 h=40} or {@code t:21.5;h:40}); or {@code format = regex} with named groups. Each channel's
 * unit is {@code channel.NAME.unit}; in key=value lines only keys with a channel are recorded.
 *
 * <p>A value that is no number a sensor gives is counted and dropped: not a number or infinite (sketches
 * print a failed float read as {@code nan}, {@code inf} or {@code ovf}), or outside the channel's optional
 * {@code channel.NAME.min} and {@code channel.NAME.max}. A serial line has no datasheet; only the user
 * knows what their sensor can measure.
 */
final class LineFormat {
    record Value(String channel, double value) {
    }

    private enum Kind {
        CSV, KEYVALUE, REGEX
    }

    private static final Pattern PAIR = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_.-]*)\\s*[=:]\\s*([-+]?(?:[0-9.]+(?:[eE][-+]?\\d+)?|(?i:nan|inf(?:inity)?|ovf)\\b))");
    /** How sketches print a float that is no number: Arduino's print() says nan, inf or ovf. */
    private static final Pattern NOT_FINITE = Pattern.compile("[-+]?(?i:nan|inf(?:inity)?|ovf)");

    private final Kind kind;
    private final List<String> columns;
    private final String separator;
    private final Pattern regex;
    private final Map<String, String> units;
    private final Map<String, double[]> ranges;
    private long bad;
    private long implausible;
    private String lastImplausible = "";

    private LineFormat(Kind kind, List<String> columns, String separator, Pattern regex, Map<String, String> units,
            Map<String, double[]> ranges) {
        this.kind = kind;
        this.columns = columns;
        this.separator = separator;
        this.regex = regex;
        this.units = units;
        this.ranges = ranges;
    }

    static LineFormat parse(Map<String, ?> p) {
        LineFormat f = parseFormat(p);
        return new LineFormat(f.kind, f.columns, f.separator, f.regex, f.units, ranges(p, f.units));
    }

    /** {@code channel.NAME.min} and {@code .max} of the format's channels, as {min, max}. */
    private static Map<String, double[]> ranges(Map<String, ?> p, Map<String, String> channels) {
        Map<String, double[]> ranges = new LinkedHashMap<>();
        new TreeMap<>(p).forEach((k, v) -> {
            boolean min = k.endsWith(".min");
            if (k.startsWith("channel.") && (min || k.endsWith(".max")) && k.length() > "channel..min".length()) {
                String channel = k.substring("channel.".length(), k.length() - 4);
                if (!channels.containsKey(channel)) {
                    throw new IllegalArgumentException(k + ": the format has no channel " + channel);
                }
                double bound;
                try {
                    bound = Double.parseDouble(v.toString().strip());
                } catch (NumberFormatException e) {
                    bound = Double.NaN;
                }
                if (!Double.isFinite(bound)) {
                    throw new IllegalArgumentException(k + " = " + v + " is not a number");
                }
                double[] range = ranges.computeIfAbsent(channel,
                        c -> new double[] { Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY });
                range[min ? 0 : 1] = bound;
            }
        });
        ranges.forEach((channel, r) -> {
            if (r[0] > r[1]) {
                throw new IllegalArgumentException("channel." + channel + ".min is above channel." + channel + ".max");
            }
        });
        return ranges;
    }

    private static LineFormat parseFormat(Map<String, ?> p) {
        Map<String, String> units = new LinkedHashMap<>();
        new TreeMap<>(p).forEach((k, v) -> {
            if (k.startsWith("channel.") && k.endsWith(".unit") && k.length() > "channel..unit".length()) {
                units.put(k.substring("channel.".length(), k.length() - ".unit".length()), v.toString().strip());
            }
        });
        String format = text(p, "format", "csv").toLowerCase(Locale.ROOT);
        switch (format) {
        case "csv": {
            Object cols = p.get("csv.columns");
            if (cols == null || cols.toString().isBlank()) {
                throw new IllegalArgumentException("format = csv needs csv.columns (names in order, - to skip)");
            }
            List<String> columns = new ArrayList<>();
            for (String c : cols.toString().split(",")) {
                String name = c.strip();
                columns.add(name);
                if (!name.equals("-")) {
                    units.putIfAbsent(name, "1");
                }
            }
            Object separator = p.get("csv.separator");
            String sep = separator == null ? "," : separator.toString();
            return new LineFormat(Kind.CSV, columns, sep.isEmpty() ? "," : sep, null, units, Map.of());
        }
        case "keyvalue":
            if (units.isEmpty()) {
                throw new IllegalArgumentException("format = keyvalue records the keys that have channel.KEY.unit;"
                        + " none is set");
            }
            return new LineFormat(Kind.KEYVALUE, List.of(), null, null, units, Map.of());
        case "regex": {
            Object r = p.get("regex");
            if (r == null || r.toString().isBlank()) {
                throw new IllegalArgumentException("format = regex needs regex (with named groups, one per channel)");
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(r.toString().strip());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("regex: " + e.getDescription() + " near position " + e.getIndex());
            }
            Matcher names = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(pattern.pattern());
            while (names.find()) {
                units.putIfAbsent(names.group(1), "1");
            }
            if (units.isEmpty()) {
                throw new IllegalArgumentException("regex has no named group such as (?<temperature>...)");
            }
            return new LineFormat(Kind.REGEX, List.of(), null, pattern, units, Map.of());
        }
        default:
            throw new IllegalArgumentException("format = " + format + ": csv, keyvalue or regex");
        }
    }

    private static String text(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
    }

    /** Channel names and units, in a stable order. */
    Map<String, String> channels() {
        return units;
    }

    /**
     * The values of a line; empty (counted as bad) when nothing in it fits. Values that fit but are no
     * number or outside their channel's range are left out and counted as implausible.
     */
    List<Value> parse(String line) {
        List<Value> found = read(line);
        if (found.isEmpty()) {
            bad++;
            return found;
        }
        List<Value> values = new ArrayList<>(found.size());
        for (Value v : found) {
            String why = implausibility(v);
            if (why != null) {
                implausible++;
                lastImplausible = why;
            } else {
                values.add(v);
            }
        }
        return values;
    }

    /** Every value the line holds in the configured format, plausible or not, counting nothing. */
    List<Value> read(String line) {
        List<Value> found = new ArrayList<>();
        switch (kind) {
        case CSV: {
            String[] cells = line.split(Pattern.quote(separator), -1);
            for (int i = 0; i < columns.size() && i < cells.length; i++) {
                String column = columns.get(i);
                if (!column.equals("-")) {
                    number(cells[i]).ifPresent(v -> found.add(new Value(column, v)));
                }
            }
            break;
        }
        case KEYVALUE: {
            Matcher m = PAIR.matcher(line);
            while (m.find()) {
                String key = m.group(1);
                if (units.containsKey(key)) {
                    number(m.group(2)).ifPresent(v -> found.add(new Value(key, v)));
                }
            }
            break;
        }
        case REGEX: {
            Matcher m = regex.matcher(line);
            if (m.find()) {
                for (String name : units.keySet()) {
                    try {
                        String g = m.group(name);
                        if (g != null) {
                            number(g).ifPresent(v -> found.add(new Value(name, v)));
                        }
                    } catch (IllegalArgumentException e) {
                        // a unit for a channel the regex has no group for: nothing to read
                    }
                }
            }
            break;
        }
        default:
            break;
        }
        return found;
    }

    /**
     * Why a value is dropped (the channel, the value and its channel's configured range), or null when it is
     * kept: it must be a finite number within the channel's range.
     */
    String implausibility(Value v) {
        double[] range = ranges.get(v.channel());
        if (Double.isFinite(v.value()) && (range == null || v.value() >= range[0] && v.value() <= range[1])) {
            return null;
        }
        return v.channel() + " " + v.value() + (range == null ? ""
                : " (configured: " + bound(range[0]) + " to " + bound(range[1]) + ")");
    }

    private static String bound(double b) {
        return Double.isInfinite(b) ? "any" : BigDecimal.valueOf(b).stripTrailingZeros().toPlainString();
    }

    /** The number in a cell or group, NaN or infinite ones included; empty when it holds no number. */
    private static Optional<Double> number(String s) {
        String t = s.strip();
        if (NOT_FINITE.matcher(t).matches()) {
            return Optional.of(t.toLowerCase(Locale.ROOT).contains("nan") ? Double.NaN
                    : t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        try {
            return Optional.of(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Lines with no value in the configured format. */
    long bad() {
        return bad;
    }

    /** Values dropped: no number, infinite, or outside their channel's configured range. */
    long implausible() {
        return implausible;
    }

    /** The last value dropped as implausible, with its channel's range when one is configured. */
    String lastImplausible() {
        return lastImplausible;
    }
}
