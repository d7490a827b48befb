package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileEncodingTest {
    @TempDir
    Path conf;

    @Test
    void aFileSavedInLatin1IsNamedWithItsLineAndTheFixWhileUtf8FilesPass() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.serial-pico.cfg"), "match.vid = 2e8a\nchannel.T.unit = °C\n"
                + "channel.R.unit = Ω\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("org.usblogd.serial-old.cfg"), "match.vid = 2e8a\n# from the old editor\n"
                + "channel.T.unit = °C\n", StandardCharsets.ISO_8859_1);
        Files.writeString(conf.resolve("notes.txt"), "°", StandardCharsets.ISO_8859_1); // not a .cfg: not read

        assertThat(ConfigFileEncoding.problems(conf)).containsExactly(conf.resolve("org.usblogd.serial-old.cfg")
                + ": line 3 is not UTF-8 (byte 0xb0), and usblogd reads .cfg files as UTF-8: save the file as UTF-8"
                + " (iconv -f ISO-8859-1 -t UTF-8)");
    }

    @Test
    void aMissingDirectoryHasNoProblems() throws Exception {
        assertThat(ConfigFileEncoding.problems(conf.resolve("none"))).isEmpty();
    }
}
