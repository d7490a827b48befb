package org.usblogd.framework.check;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.osgi.framework.Version;
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
    private final List<Path> jars = new ArrayList<>();
    private final List<String> driverSettings;

    /** The rules of these directories with no driver's device settings keys. */
    public InstalledRules(List<Path> directories) throws IOException {
        this(directories, List.of());
    }

    /**
     * The rules in the jars of these directories, in directory and then name order; of two versions of a
     * bundle only the newer, which is the one the daemon runs; the first for a PID wins.
     *
     * @param driverSettings the device settings key patterns the installed drivers declare on their match rows
     */
    public InstalledRules(List<Path> directories, Collection<String> driverSettings) throws IOException {
        this.driverSettings = List.copyOf(driverSettings);
        Map<String, Path> newest = new LinkedHashMap<>();
        Map<String, Version> versions = new HashMap<>();
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> jars;
            try (Stream<Path> s = Files.list(dir)) {
                jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    if (j.getEntry(SERVICES) == null) {
                        continue;
                    }
                    Attributes main = j.getManifest() == null ? new Attributes() : j.getManifest().getMainAttributes();
                    String name = main.getValue("Bundle-SymbolicName");
                    String bundle = name == null ? jar.toString() : name.split(";")[0].strip();
                    Version version = Version.parseVersion(main.getValue("Bundle-Version"));
                    if (!versions.containsKey(bundle) || version.compareTo(versions.get(bundle)) > 0) {
                        versions.put(bundle, version);
                        newest.put(bundle, jar);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // not a jar or not a bundle: the daemon's plugin monitor and doctor say so
                }
            }
        }
        for (Path jar : newest.values()) {
            load(jar);
        }
    }

    private void load(Path jar) throws IOException {
        jars.add(jar);
        URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
                InstalledRules.class.getClassLoader());
        loaders.add(loader);
        try {
            for (ServiceLoader.Provider<ConfigRules> p : ServiceLoader.load(ConfigRules.class, loader).stream()
                    .toList()) {
                ConfigRules rules = p.get().withDriverSettings(driverSettings);
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

    /** The jars whose rules were loaded. */
    public List<Path> jars() {
        return List.copyOf(jars);
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
