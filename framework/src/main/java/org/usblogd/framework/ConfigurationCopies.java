package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Configuration Admin keeps its copies of {@code conf/}: a directory of this run's own, in memory-backed
 * runtime storage where there is one, never on the state disk. The files in {@code conf/} are read again at every
 * start, so the copies only have to outlive nothing; kept on the state disk, an edit made while that disk was full
 * failed to persist and was lost for good. (Its in-memory manager avoided the disk too, but lost an edit under
 * load that the file manager never did.)
 */
final class ConfigurationCopies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigurationCopies.class);

    private final Path dir;

    private ConfigurationCopies(Path dir) {
        this.dir = dir;
    }

    /**
     * A new directory under systemd's {@code RuntimeDirectory} (/run/usblogd), else the user's runtime directory
     * (/run/user/UID), else the JVM's temporary directory.
     */
    static ConfigurationCopies create(Map<String, String> environment) throws IOException {
        Path parent = base(environment);
        Path dir = Files.createTempDirectory(parent, "usblogd-config-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new ConfigurationCopies(dir);
    }

    static Path base(Map<String, String> environment) {
        for (String variable : new String[] { "RUNTIME_DIRECTORY", "XDG_RUNTIME_DIR" }) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                // systemd may list several runtime directories, separated by colons
                Path p = Path.of(value.split(":")[0]);
                if (Files.isDirectory(p) && Files.isWritable(p)) {
                    return p;
                }
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    Path dir() {
        return dir;
    }

    /** Removes the directory; a copy left behind (after kill -9) goes with the runtime directory at reboot. */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not remove Configuration Admin's copies in {}: {}", dir, e.getMessage());
        }
    }
}
