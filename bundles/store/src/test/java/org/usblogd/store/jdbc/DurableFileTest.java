package org.usblogd.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small state files: replaced whole, private when secret, and an empty one named with what to do. */
class DurableFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReplacedWholeAndNoTemporaryFileStays() throws IOException {
        Path f = dir.resolve("server.port");
        DurableFile.write(f, "1234\n", false);
        DurableFile.write(f, "5678\n", false);

        assertThat(DurableFile.read(f, "the port")).isEqualTo("5678");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    }

    @Test
    void aSecretIsReadableByItsOwnerOnly() throws IOException {
        StoreLocation location = new StoreLocation(dir);
        String password = location.password();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(location.credentialsFile())))
                .isEqualTo("rw-------");
        assertThat(location.password()).as("the same next time").isEqualTo(password).hasSize(36);
    }

    @Test
    void anEmptyCredentialsFileIsNamedWithWhatToDoNotTakenForNoPassword() throws IOException {
        StoreLocation location = new StoreLocation(dir);
        Files.createDirectories(location.directory());
        Files.createFile(location.credentialsFile());

        assertThatThrownBy(location::password).isInstanceOf(IOException.class)
                .hasMessageContaining(location.credentialsFile() + " (the database's password")
                .hasMessageContaining("is empty: it was cut short, probably by a power cut");
    }
}
