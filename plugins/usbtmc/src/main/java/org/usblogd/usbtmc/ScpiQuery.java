package org.usblogd.usbtmc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the poller asks and where the answer goes, from the device's settings
 * ({@code conf/org.usblogd.device-NAME.cfg}): {@code scpi.1 = MEAS:VOLT:DC? -> voltage V}, numbered in the
 * order they are asked each poll.
 */
record ScpiQuery(String command, String channel, String unit) {

    static List<ScpiQuery> parse(Map<String, String> numbered) {
        List<ScpiQuery> queries = new ArrayList<>();
        numbered.entrySet().stream()
                .sorted((a, b) -> Integer.compare(order(a.getKey()), order(b.getKey())))
                .forEach(e -> queries.add(one("scpi." + e.getKey(), e.getValue())));
        return queries;
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
