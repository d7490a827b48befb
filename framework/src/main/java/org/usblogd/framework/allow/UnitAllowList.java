package org.usblogd.framework.allow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPAddressAllow= entries of a unit's own files and the administrator's drop-ins
 * ({@code systemctl edit}: the HTTP API opened to a network, a server allowed by hand). The runtime drop-in
 * that {@code set-property --runtime} writes is left out: it is what the next apply replaces. Setting the list
 * starts with an empty assignment, which also empties the running unit's entries from the other files, so
 * they are given again with it.
 */
public final class UnitAllowList {
    /** Where {@code systemctl set-property --runtime} keeps its drop-ins. */
    public static final Path RUNTIME_CONTROL = Path.of("/run/systemd/system.control");

    private UnitAllowList() {
    }

    /** The entries in the order systemd applies the files (unit file, then drop-ins), an empty one resetting. */
    public static List<String> read(List<Path> files) throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (Path file : files) {
            if (file.startsWith(RUNTIME_CONTROL)) {
                continue;
            }
            String section = "";
            StringBuilder pending = new StringBuilder();
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (pending.isEmpty() && (line.startsWith("#") || line.startsWith(";"))) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                String whole = pending.append(line).toString().strip();
                pending.setLength(0);
                if (whole.startsWith("[") && whole.endsWith("]")) {
                    section = whole;
                    continue;
                }
                int eq = whole.indexOf('=');
                if (!section.equals("[Service]") || eq < 0
                        || !whole.substring(0, eq).strip().equals("IPAddressAllow")) {
                    continue;
                }
                String value = whole.substring(eq + 1).strip();
                if (value.isEmpty()) {
                    entries.clear();
                } else {
                    entries.addAll(List.of(value.split("\\s+")));
                }
            }
        }
        return List.copyOf(entries);
    }

    /** The files of {@code systemctl show -p FragmentPath -p DropInPaths}: each {@code KEY=path path...}. */
    public static List<Path> files(String show) {
        List<Path> fragment = new ArrayList<>();
        List<Path> dropIns = new ArrayList<>();
        for (String line : show.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            List<Path> into = switch (line.substring(0, eq)) {
                case "FragmentPath" -> fragment;
                case "DropInPaths" -> dropIns;
                default -> null;
            };
            if (into == null) {
                continue;
            }
            for (String p : line.substring(eq + 1).strip().split("\\s+")) {
                if (!p.isEmpty()) {
                    into.add(Path.of(p));
                }
            }
        }
        fragment.addAll(dropIns);
        return List.copyOf(fragment);
    }
}
