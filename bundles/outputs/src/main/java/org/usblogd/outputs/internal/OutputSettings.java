package org.usblogd.outputs.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;

/**
 * What one right output file says, checked as a whole before it is used.
 *
 * @param name the file's NAME ({@code conf/org.usblogd.output-NAME.cfg}): the output's cursor in the store is kept
 *            under it, so renaming the file starts the output from the beginning (replays make no duplicates)
 * @param file the file, for log lines
 */
record OutputSettings(String name, String file, String type, String url, String user, String password, String node,
        int batch) {
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /**
     * @throws IllegalArgumentException one line naming the file, the key, the value and what it takes; every
     *             other mistake goes to {@code more}
     */
    static OutputSettings parse(Map<String, ?> properties, java.util.function.Consumer<ConfigProblem> warn,
            java.util.function.Consumer<ConfigProblem> more) {
        OutputConfig c = OutputConfigRules.CHECK.check(properties).configOrThrow(warn, more);
        problem(properties).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        String url = c.url().strip();
        String node = c.node().strip().isEmpty() ? hostName() : c.node().strip();
        return new OutputSettings(name(properties), ConfigCheck.file(properties), c.type().toLowerCase(Locale.ROOT), url, c.user().strip(),
                c.password(), node, c.batch());
    }

    /** What is wrong beyond single values: a missing type, a URL that is no PostgreSQL one. */
    static java.util.Optional<String> problem(Map<String, ?> properties) {
        String file = ConfigCheck.file(properties);
        Object type = properties.get("type");
        if (type == null || type.toString().isBlank()) {
            return java.util.Optional.of(file + ": type is not set: expected postgresql");
        }
        Object url = properties.get("url");
        String u = url == null ? "" : url.toString().strip();
        if (!u.startsWith("jdbc:postgresql://")) {
            return java.util.Optional.of(file + ": url = " + u + " is not valid: expected"
                    + " jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        return java.util.Optional.empty();
    }

    /** NAME of {@code PID-NAME.cfg}; the configuration's PID when it came from elsewhere. */
    static String name(Map<String, ?> properties) {
        Object f = properties.get(FILE_PROPERTY);
        if (f == null) {
            Object pid = properties.get("service.pid");
            return pid == null ? "output" : pid.toString();
        }
        String s = f.toString();
        s = s.substring(s.lastIndexOf('/') + 1);
        if (s.startsWith(OutputConfig.PID + "-")) {
            s = s.substring(OutputConfig.PID.length() + 1);
        }
        return s.endsWith(".cfg") ? s.substring(0, s.length() - 4) : s;
    }

    /** Where it forwards to, as log lines and the status say it: the URL without its parameters (a password). */
    String target() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
