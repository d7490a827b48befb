package org.usblogd.framework.check;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.usblogd.api.config.ConfigRules;

/**
 * The configuration rules of the installed bundles and plugins, loaded from their jars without starting them:
 * each jar that lists {@link ConfigRules} in {@code META-INF/services} gets a class loader of its own whose
 * parent is the launcher's (which holds the API and slf4j), so that the command line applies the very classes
 * the daemon's components apply.
 */
public final class InstalledRules implements AutoCloseable {
    private static final String SERVICES = "META-INF/services/" + ConfigRules.class.getName();

    private final Map<String, ConfigRules> byPid = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<URLClassLoader> loaders = new ArrayList<>();

    /** The rules in the jars of these directories, in directory and then name order; the first for a PID wins. */
    public InstalledRules(List<Path> directories) throws IOException {
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> jars;
            try (Stream<Path> s = Files.list(dir)) {
                jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                load(jar);
            }
        }
    }

    private void load(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            if (j.getEntry(SERVICES) == null) {
                return;
            }
        } catch (IOException e) {
            return; // not a jar: the daemon's plugin monitor and doctor say so
        }
        URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
                InstalledRules.class.getClassLoader());
        loaders.add(loader);
        try {
            for (ServiceLoader.Provider<ConfigRules> p : ServiceLoader.load(ConfigRules.class, loader).stream()
                    .toList()) {
                ConfigRules rules = p.get();
                byPid.putIfAbsent(rules.pid(), rules);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            problems.add(jar + ": its configuration rules cannot be loaded (" + e.getMessage()
                    + "); the files it reads are not checked");
        }
    }

    /** The rules for a PID, or null. */
    public ConfigRules forPid(String pid) {
        return byPid.get(pid);
    }

    /** Every PID with rules, sorted. */
    public List<String> pids() {
        return List.copyOf(byPid.keySet());
    }

    /** Jars whose rules could not be loaded, a line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() throws IOException {
        for (URLClassLoader l : loaders) {
            l.close();
        }
    }
}
