package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The match tables and declared device settings keys of plugin jars, read by a scratch framework. */
class PluginTablesTest {
    @TempDir
    Path plugins;

    private void jar(String name, String provideCapability) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", name);
        m.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        m.getMainAttributes().putValue("Provide-Capability", provideCapability);
        try (OutputStream out = Files.newOutputStream(plugins.resolve(name + ".jar"));
                JarOutputStream j = new JarOutputStream(out, m)) {
            // the manifest is all the command line reads
        }
    }

    @Test
    void theKeysADriverDeclaresOnItsMatchRowsAreReadWithItsRows() throws Exception {
        jar("audio", "org.usblogd.usb.match;driver=audio;class=01;subclass=02;settings:List<String>=\""
                + "audio.interval.ms,audio.weightings,audio.calibration.db,audio.rate\"");
        jar("usbtmc", "org.usblogd.usb.match;driver=usbtmc;class=fe;subclass=03;settings:List<String>=\"scpi.*\","
                + "org.usblogd.usb.match;driver=usbtmc;vid=1ab1;pid=09c4;settings:List<String>=\"scpi.*\"");
        jar("co2mon", "org.usblogd.usb.match;driver=co2mon;vid=04d9;pid=a052");

        List<PluginTables.Plugin> read = PluginTables.read(plugins);

        assertThat(read).extracting(PluginTables.Plugin::bundle).containsExactly("audio 1.0.0", "co2mon 1.0.0",
                "usbtmc 1.0.0");
        assertThat(read.get(1).settings()).isEmpty();
        assertThat(PluginTables.rows(read)).hasSize(4);
        assertThat(PluginTables.settings(read)).containsExactly("audio.interval.ms", "audio.weightings",
                "audio.calibration.db", "audio.rate", "scpi.*");
    }
}
