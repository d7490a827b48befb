package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeDirectoriesTest {
    @TempDir
    Path tmp;

    @Test
    void directoriesOthersMayWriteAreNamedWithTheFix() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path conf = Files.createDirectory(tmp.resolve("conf"));
        Path fine = Files.createDirectory(tmp.resolve("fine"));
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(fine, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(CodeDirectories.warnings(plugins, conf, fine)).containsExactly(
                plugins + " is writable by everyone: whoever writes there controls what usblogd runs; make it"
                        + " writable by its owner only (chmod go-w " + plugins + ")",
                conf + " is writable by its group: whoever writes there controls what usblogd runs; make it"
                        + " writable by its owner only (chmod go-w " + conf + ")");
    }
}
