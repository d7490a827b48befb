package org.usblogd.framework;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code usblogd export} was asked for, checked before anything is read: a device or channel the
 * database does not know, or a range that holds nothing, is a mistake to be told, not an empty export.
 */
final class ExportSelection {
    private ExportSelection() {
    }

    /** The one line saying why the range holds nothing, or null when it may hold something. */
    static String rangeProblem(Instant from, Instant to) {
        if (from == null || to == null || from.isBefore(to)) {
            return null;
        }
        return "--from " + from + " is not before --to " + to + ": the range holds nothing (--from is inclusive,"
                + " --to exclusive); swap them";
    }

    /**
     * The one line naming the first device or channel {@code known} (device key to its channel names) does not
     * have, with the ones it has; null when all are known. A channel must be one of the selected devices'.
     */
    static String unknown(Map<String, List<String>> known, List<String> devices, List<String> channels,
            Path state) {
        for (String d : devices) {
            if (!known.containsKey(d)) {
                return "no device '" + d + "' is known in " + state + "; known devices: " + listed(known.keySet());
            }
        }
        TreeSet<String> names = new TreeSet<>();
        for (Map.Entry<String, List<String>> e : known.entrySet()) {
            if (devices.isEmpty() || devices.contains(e.getKey())) {
                names.addAll(e.getValue());
            }
        }
        for (String c : channels) {
            if (!names.contains(c)) {
                String where = devices.isEmpty() ? "on any device in " + state : "on " + String.join(", ", devices);
                return "no channel '" + c + "' " + where + "; " + (devices.size() == 1 ? "its" : "their")
                        + " channels: " + listed(names);
            }
        }
        return null;
    }

    private static String listed(java.util.Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
