package org.usblogd.framework;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: a subcommand, then --name value options and --flags. */
final class Options {
    private static final Set<String> FLAGS = Set.of("demo", "help");

    final String command;
    private final Map<String, String> values;

    private Options(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    static Options parse(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "help" : rest.remove(0);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (FLAGS.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < rest.size()) {
                values.put(name, rest.get(++i));
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
        }
        return new Options(command, values);
    }

    String get(String name) {
        return values.get(name);
    }

    String getOr(String name, String fallback) {
        String v = values.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    Path path(String name, Path fallback) {
        String v = values.get(name);
        return (v == null || v.isBlank() ? fallback : Path.of(v)).toAbsolutePath().normalize();
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.get(name));
    }

    /** Rejects options the command does not know, so a typo does not silently export everything. */
    Options allow(String... names) {
        Set<String> ok = Set.of(names);
        for (String k : values.keySet()) {
            if (!ok.contains(k) && !k.equals("state")) {
                throw new UsageException("'" + command + "' has no option --" + k);
            }
        }
        return this;
    }

    /** --state, else USBLOGD_STATE, else state/ in the installation. */
    Path stateDirectory(Path home) {
        String s = values.get("state");
        if (s == null || s.isBlank()) {
            s = System.getenv("USBLOGD_STATE");
        }
        return (s == null || s.isBlank() ? home.resolve("state") : Path.of(s)).toAbsolutePath().normalize();
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
