package org.usblogd.framework.check;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One {@code .cfg} file of a configuration directory as Configuration Admin hands it to its component: the
 * PID from the file name ({@code org.usblogd.serial-pico.cfg}: factory PID {@code org.usblogd.serial}, as
 * FileInstall splits it at the first dash) and the properties read as UTF-8, with the
 * {@code felix.fileinstall.filename} FileInstall adds.
 *
 * @param unreadable why the file could not be read, or null
 */
public record ConfFile(Path path, String pid, boolean factory, Map<String, Object> properties, String unreadable) {
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /** The .cfg files of a directory in name order; none for a missing directory. */
    public static List<ConfFile> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cfg") && Files.isRegularFile(p)).sorted()
                    .map(ConfFile::read).toList();
        }
    }

    /** The file as the daemon reads it: UTF-8, a byte that is no UTF-8 replaced (ConfigFileEncoding names it). */
    public static ConfFile read(Path path) {
        String name = path.getFileName().toString();
        String base = name.substring(0, name.length() - ".cfg".length());
        int dash = base.indexOf('-');
        String pid = dash > 0 ? base.substring(0, dash) : base;
        Map<String, Object> properties = new LinkedHashMap<>();
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(Files.readAllBytes(path), StandardCharsets.UTF_8)));
            p.stringPropertyNames().stream().sorted().forEach(k -> properties.put(k, p.getProperty(k)));
        } catch (IOException | IllegalArgumentException e) {
            return new ConfFile(path, pid, dash > 0, Map.of(), e.getMessage());
        }
        properties.put(FILE_PROPERTY, path.toAbsolutePath().toUri().toString());
        return new ConfFile(path, pid, dash > 0, Map.copyOf(properties), null);
    }
}
