package org.usblogd.serial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a line becomes values, as the configuration says: {@code format = csv} with {@code csv.columns}
 * (names in order, {@code -} to skip) and {@code csv.separator}; {@code format = keyvalue} (pairs such as
 * {@code t=21.5 h=40} or {@code t:21.5;h:40}); or {@code format = regex} with named groups. Each channel's
 * unit is {@code channel.NAME.unit}; in key=value lines only keys with a channel are recorded.
 */
final class LineFormat {
    record Value(String channel, double value) {
    }

    private enum Kind {
        CSV, KEYVALUE, REGEX
    }

    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)\\s*[=:]\\s*([-+]?[0-9.]+(?:[eE][-+]?\\d+)?)");

    private final Kind kind;
    private final List<String> columns;
    private final String separator;
    private final Pattern regex;
    private final Map<String, String> units;
    private long bad;

    private LineFormat(Kind kind, List<String> columns, String separator, Pattern regex, Map<String, String> units) {
        this.kind = kind;
        this.columns = columns;
        this.separator = separator;
        this.regex = regex;
        this.units = units;
    }

    static LineFormat parse(Map<String, ?> p) {
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
            return new LineFormat(Kind.CSV, columns, sep.isEmpty() ? "," : sep, null, units);
        }
        case "keyvalue":
            if (units.isEmpty()) {
                throw new IllegalArgumentException("format = keyvalue records the keys that have channel.KEY.unit;"
                        + " none is set");
            }
            return new LineFormat(Kind.KEYVALUE, List.of(), null, null, units);
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
            return new LineFormat(Kind.REGEX, List.of(), null, pattern, units);
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

    /** The values of a line; empty (counted) when nothing in it fits. */
    List<Value> parse(String line) {
        List<Value> values = new ArrayList<>();
        switch (kind) {
        case CSV: {
            String[] cells = line.split(Pattern.quote(separator), -1);
            for (int i = 0; i < columns.size() && i < cells.length; i++) {
                String column = columns.get(i);
                if (!column.equals("-")) {
                    number(cells[i]).ifPresent(v -> values.add(new Value(column, v)));
                }
            }
            break;
        }
        case KEYVALUE: {
            Matcher m = PAIR.matcher(line);
            while (m.find()) {
                String key = m.group(1);
                if (units.containsKey(key)) {
                    number(m.group(2)).ifPresent(v -> values.add(new Value(key, v)));
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
                            number(g).ifPresent(v -> values.add(new Value(name, v)));
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
        if (values.isEmpty()) {
            bad++;
        }
        return values;
    }

    private static java.util.Optional<Double> number(String s) {
        try {
            double d = Double.parseDouble(s.strip());
            return Double.isFinite(d) ? java.util.Optional.of(d) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    long bad() {
        return bad;
    }
}
