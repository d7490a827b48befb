package org.usblogd.framework.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.usblogd.api.config.DriverFile;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.framework.check.ConfFile;

/**
 * The match tables of the driver plugins in a directory, read from their manifests without running them:
 * each jar is installed (never resolved or started) into a scratch framework, which parses its
 * Provide-Capability header exactly as the daemon's framework will.
 */
public final class PluginTables {

    /**
     * One plugin jar: its bundle name, rows and the device settings keys its drivers declare, or why it cannot
     * be used.
     */
    public record Plugin(Path jar, String bundle, List<DeviceMatch> rows, List<String> problems,
            List<String> settings) {
        public Plugin(Path jar, String bundle, List<DeviceMatch> rows, List<String> problems) {
            this(jar, bundle, rows, problems, List.of());
        }
    }

    private PluginTables() {
    }

    public static List<Plugin> read(Path pluginsDir) throws IOException {
        List<Path> jars;
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(pluginsDir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            return List.of();
        }
        Path cache = Files.createTempDirectory("usblogd-plugins");
        Framework framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE,
                cache.toString(), Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                "felix.log.level", "0"));
        try {
            framework.init();
            List<Plugin> plugins = new ArrayList<>();
            for (Path jar : jars) {
                plugins.add(read(framework, jar));
            }
            return plugins;
        } catch (BundleException e) {
            throw new IOException("cannot start a framework to read the plugins: " + e.getMessage(), e);
        } finally {
            try {
                framework.stop();
                framework.waitForStop(10_000);
            } catch (BundleException | InterruptedException e) {
                // a scratch framework: nothing depends on a clean stop
            }
            deleteTree(cache);
        }
    }

    private static Plugin read(Framework framework, Path jar) {
        Bundle bundle;
        try {
            bundle = framework.getBundleContext().installBundle(jar.toUri().toString());
        } catch (BundleException | RuntimeException e) {
            return new Plugin(jar, null, List.of(), List.of("not a usable bundle: " + e.getMessage()));
        }
        if (bundle.getSymbolicName() == null) {
            return new Plugin(jar, null, List.of(), List.of("not an OSGi bundle (no Bundle-SymbolicName)"));
        }
        List<DeviceMatch> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (BundleCapability c : bundle.adapt(BundleRevision.class).getDeclaredCapabilities(DeviceMatch.NAMESPACE)) {
            settings.addAll(DeviceMatch.settings(c.getAttributes()));
            try {
                rows.add(DeviceMatch.fromAttributes(c.getAttributes()));
            } catch (IllegalArgumentException e) {
                problems.add("match row " + c.getAttributes() + " ignored: " + e.getMessage());
            }
        }
        return new Plugin(jar, bundle.getSymbolicName() + " " + bundle.getVersion(), rows, problems, settings);
    }

    /**
     * The rows of drivers configured by files in conf/ ({@code org.usblogd.hid-thermo.cfg} with
     * {@code match.vid = ...}): one entry per factory configuration file that has match keys.
     */
    public static List<Plugin> readConfigured(Path confDir) throws IOException {
        List<Plugin> result = new ArrayList<>();
        for (ConfFile f : ConfFile.list(confDir)) {
            if (!f.factory()) {
                continue;
            }
            if (f.unreadable() != null) {
                result.add(new Plugin(f.path(), "configuration", List.of(), List.of("unreadable: " + f.unreadable())));
                continue;
            }
            String driver = DriverFile.driverName(f.pid(), f.path().getFileName().toString(),
                    f.properties().get("name"));
            try {
                DriverFile.match(driver, f.properties()).ifPresent(
                        row -> result.add(new Plugin(f.path(), "configuration of " + driver, List.of(row), List.of())));
            } catch (IllegalArgumentException e) {
                result.add(new Plugin(f.path(), "configuration of " + driver, List.of(), List.of(e.getMessage())));
            }
        }
        return result;
    }

    /** Every row of every plugin, in plugin order. */
    public static List<DeviceMatch> rows(List<Plugin> plugins) {
        return plugins.stream().flatMap(p -> p.rows().stream()).toList();
    }

    /** The device settings key patterns of every plugin's drivers, each once. */
    public static List<String> settings(List<Plugin> plugins) {
        return plugins.stream().flatMap(p -> p.settings().stream()).distinct().toList();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }
}
