package org.usblogd.usbtmc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the poller asks and where the answer goes, from the device's settings
 * ({@code conf/org.usblogd.device-NAME.cfg}): {@code scpi.1 = MEAS:VOLT:DC? -> voltage V}, numbered in the
 * order they are asked each poll; optionally {@code scpi.1.min} and {@code scpi.1.max}, the values the
 * measurement can take (an instrument has no datasheet here: only the user knows what it measures).
 */
record ScpiQuery(String command, String channel, String unit, double min, double max) {

    ScpiQuery(String command, String channel, String unit) {
        this(command, channel, unit, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Whether {@code v} is a value this measurement can take. */
    boolean accepts(double v) {
        return Double.isFinite(v) && v >= min && v <= max;
    }

    /** The settings under {@code scpi.}: {@code N} the queries, {@code N.min} and {@code N.max} their ranges. */
    static List<ScpiQuery> parse(Map<String, String> numbered) {
        Map<String, String> commands = new TreeMap<>();
        Map<String, String> bounds = new TreeMap<>();
        numbered.forEach((k, v) -> {
            if (k.endsWith(".min") || k.endsWith(".max")) {
                bounds.put(k, v);
            } else if (k.contains(".")) {
                throw new IllegalArgumentException("scpi." + k + ": unknown key (scpi.N, scpi.N.min or scpi.N.max)");
            } else {
                commands.put(k, v);
            }
        });
        bounds.keySet().forEach(k -> {
            String number = k.substring(0, k.length() - 4);
            if (!commands.containsKey(number)) {
                throw new IllegalArgumentException("scpi." + k + ": there is no scpi." + number);
            }
        });
        List<ScpiQuery> queries = new ArrayList<>();
        commands.entrySet().stream()
                .sorted((a, b) -> Integer.compare(order(a.getKey()), order(b.getKey())))
                .forEach(e -> {
                    ScpiQuery q = one("scpi." + e.getKey(), e.getValue());
                    double min = bound("scpi." + e.getKey() + ".min", bounds.get(e.getKey() + ".min"), q.min());
                    double max = bound("scpi." + e.getKey() + ".max", bounds.get(e.getKey() + ".max"), q.max());
                    if (min > max) {
                        throw new IllegalArgumentException("scpi." + e.getKey() + ".min is above scpi." + e.getKey()
                                + ".max");
                    }
                    queries.add(new ScpiQuery(q.command(), q.channel(), q.unit(), min, max));
                });
        return queries;
    }

    private static double bound(String key, String value, double fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " = " + value + " is not a number");
    }

    private static int order(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static ScpiQuery one(String key, String value) {
        int arrow = value.indexOf("->");
        if (arrow <= 0) {
            throw new IllegalArgumentException(key + " = " + value + ": write COMMAND -> CHANNEL UNIT,"
                    + " e.g. MEAS:VOLT:DC? -> voltage V");
        }
        String command = value.substring(0, arrow).strip();
        String[] target = value.substring(arrow + 2).strip().split("\\s+", 2);
        if (command.isEmpty() || target[0].isEmpty()) {
            throw new IllegalArgumentException(key + " = " + value + ": a command and a channel are needed");
        }
        return new ScpiQuery(command, target[0], target.length > 1 ? target[1].strip() : "1");
    }
}
