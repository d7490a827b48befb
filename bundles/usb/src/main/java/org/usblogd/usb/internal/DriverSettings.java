package org.usblogd.usb.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.usblogd.api.driver.DeviceMatch;

/**
 * The device settings keys the drivers declare on their match rows ({@code UsbMatch#settings()}), read from
 * manifests without running plugin code, and asked again for each device file so that they follow the plugins
 * as they come and go.
 *
 * <p>Besides the installed bundles, the jars in plugins/ count: the daemon reads the device files before it
 * installs the plugins, and a driver's keys must not be called unknown in the meantime.
 */
final class DriverSettings {
    private final BundleContext context;
    private final Path plugins;

    /** @param plugins the plugins directory, or null when there is none */
    DriverSettings(BundleContext context, Path plugins) {
        this.context = context;
        this.plugins = plugins;
    }

    /** For the daemon: its bundles and {@code usblogd.home}/plugins. */
    static DriverSettings of(BundleContext context) {
        String home = context.getProperty("usblogd.home");
        return new DriverSettings(context, home == null ? null : Path.of(home, "plugins"));
    }

    /** The rules of device files with the keys every driver installed or in plugins/ declares now. */
    DeviceSettingsRules rules() {
        return new DeviceSettingsRules(patterns());
    }

    /** Every declared key pattern, sorted, each once. */
    List<String> patterns() {
        TreeSet<String> patterns = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision != null) {
                for (BundleCapability c : revision.getDeclaredCapabilities(DeviceMatch.NAMESPACE)) {
                    patterns.addAll(DeviceMatch.settings(c.getAttributes()));
                }
            }
        }
        if (plugins != null) {
            patterns.addAll(inJars(plugins));
        }
        return List.copyOf(patterns);
    }

    /** The patterns the manifests of the jars in a directory declare; a jar that cannot be read declares none. */
    static List<String> inJars(Path dir) {
        List<String> patterns = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return patterns; // no plugins directory: no plugins
        }
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Manifest m = j.getManifest();
                String header = m == null ? null : m.getMainAttributes().getValue(Constants.PROVIDE_CAPABILITY);
                if (header != null) {
                    patterns.addAll(inHeader(header));
                }
            } catch (IOException | SecurityException e) {
                // the plugin monitor says what is wrong with the jar; its keys come with its bundle, if ever
            }
        }
        return patterns;
    }

    /**
     * The patterns of the match rows in a Provide-Capability header as bnd writes them
     * ({@code org.usblogd.usb.match;driver=usbtmc;settings:List<String>="scpi.*"}).
     */
    static List<String> inHeader(String header) {
        List<String> patterns = new ArrayList<>();
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            if (parts.isEmpty() || !parts.get(0).strip().equals(DeviceMatch.NAMESPACE)) {
                continue;
            }
            Map<String, Object> attributes = new TreeMap<>();
            for (String part : parts.subList(1, parts.size())) {
                int eq = part.indexOf('=');
                if (eq < 0 || part.startsWith(":=", eq - 1)) {
                    continue; // a directive, or no attribute
                }
                String name = part.substring(0, eq).strip();
                String type = "";
                int colon = name.indexOf(':');
                if (colon >= 0) {
                    type = name.substring(colon + 1).strip();
                    name = name.substring(0, colon).strip();
                }
                String value = withoutQuotes(part.substring(eq + 1).strip());
                attributes.put(name, type.startsWith("List")
                        ? split(value, ',').stream().map(DriverSettings::unescaped).toList() : unescaped(value));
            }
            patterns.addAll(DeviceMatch.settings(attributes));
        }
        return patterns;
    }

    /** Splits on a separator outside double quotes, keeping quotes and escapes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                part.append(c);
            } else if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String withoutQuotes(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String unescaped(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                c = v.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
