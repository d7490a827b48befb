package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration Admin's copies go to a runtime directory of their own and leave nothing behind. */
class ConfigurationCopiesTest {
    @TempDir
    Path tmp;

    @Test
    void systemdsRuntimeDirectoryComesFirstThenTheUsersThenTheTemporaryDirectory() throws Exception {
        Path systemd = Files.createDirectory(tmp.resolve("run-usblogd"));
        Path user = Files.createDirectory(tmp.resolve("run-user"));
        assertThat(ConfigurationCopies.base(Map.of("RUNTIME_DIRECTORY", systemd + ":" + tmp.resolve("other"),
                "XDG_RUNTIME_DIR", user.toString()))).isEqualTo(systemd);
        assertThat(ConfigurationCopies.base(Map.of("RUNTIME_DIRECTORY", tmp.resolve("gone").toString(),
                "XDG_RUNTIME_DIR", user.toString()))).as("a directory that is not there is passed over").isEqualTo(user);
        assertThat(ConfigurationCopies.base(Map.of())).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void eachRunHasADirectoryOfItsOwnThatOnlyItsUserReadsAndThatIsGoneWhenClosed() throws Exception {
        Map<String, String> env = Map.of("RUNTIME_DIRECTORY", tmp.toString());
        try (ConfigurationCopies a = ConfigurationCopies.create(env);
                ConfigurationCopies b = ConfigurationCopies.create(env)) {
            assertThat(a.dir()).hasParent(tmp).isNotEqualTo(b.dir());
            assertThat(Files.getPosixFilePermissions(a.dir()))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(a.dir().resolve("org/usblogd"));
            Files.writeString(a.dir().resolve("org/usblogd/store.config"), "visibility.ms=L\"200\"\n");
            a.close();
            assertThat(a.dir()).doesNotExist();
        }
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
