package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * plugins/ holds code the daemon runs and conf/ tells it what to do: whoever may write there controls the
 * daemon. The package makes both root's; this notices an installation where someone else could write.
 */
final class CodeDirectories {
    private CodeDirectories() {
    }

    /** One warning per directory that its group or everyone may write to. */
    static List<String> warnings(Path... directories) {
        List<String> warnings = new ArrayList<>();
        for (Path d : directories) {
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
                String who = p.contains(PosixFilePermission.OTHERS_WRITE) ? "everyone"
                        : p.contains(PosixFilePermission.GROUP_WRITE) ? "its group" : null;
                if (who != null) {
                    warnings.add(d + " is writable by " + who + ": whoever writes there controls what usblogd runs;"
                            + " make it writable by its owner only (chmod go-w " + d + ")");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not a POSIX file system, or gone: FileInstall reports a missing directory itself
            }
        }
        return warnings;
    }
}
