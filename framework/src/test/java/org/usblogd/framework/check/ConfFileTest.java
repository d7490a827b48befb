package org.usblogd.framework.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .cfg file read as FileInstall hands it to Configuration Admin. */
class ConfFileTest {
    @TempDir
    Path conf;

    @Test
    void theFileNameGivesThePidSplitAtTheFirstDashAndTheFileIsReadAsUtf8() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.serial-pico-2.cfg"), "channel.T.unit = °C\n# a comment\n",
                StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("org.usblogd.store.cfg"), "visibility.ms = 200\n");
        Files.writeString(conf.resolve("notes.txt"), "not a configuration");

        assertThat(ConfFile.list(conf)).extracting(ConfFile::pid, ConfFile::factory).containsExactly(
                org.assertj.core.groups.Tuple.tuple("org.usblogd.serial", true),
                org.assertj.core.groups.Tuple.tuple("org.usblogd.store", false));
        ConfFile pico = ConfFile.read(conf.resolve("org.usblogd.serial-pico-2.cfg"));
        assertThat(pico.properties()).containsEntry("channel.T.unit", "°C").containsEntry(
                "felix.fileinstall.filename", conf.resolve("org.usblogd.serial-pico-2.cfg").toUri().toString());
        assertThat(pico.unreadable()).isNull();
    }

    @Test
    void aFileThatCannotBeParsedSaysWhy() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.store.cfg"), "url = \\uZZZZ\n");

        ConfFile f = ConfFile.read(conf.resolve("org.usblogd.store.cfg"));

        assertThat(f.unreadable()).contains("\\uxxxx");
        assertThat(f.properties()).isEmpty();
    }

    @Test
    void aMissingDirectoryHasNoFiles() throws Exception {
        assertThat(ConfFile.list(conf.resolve("missing"))).isEmpty();
    }
}
