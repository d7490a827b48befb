package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device settings keys the plugins in plugins/ declare, read from their manifests as bnd writes them. */
class DriverSettingsTest {
    /** The headers bnd writes from the audio and usbtmc drivers' {@code @UsbMatch} rows. */
    static final String AUDIO = "osgi.service;objectClass:List<String>=\"org.usblogd.api.driver.Driver\";uses:=\""
            + "org.usblogd.api.driver\",org.usblogd.usb.match;driver=audio;class=01;subclass=02;"
            + "settings:List<String>=\"audio.interval.ms,audio.weightings,audio.calibration.db,audio.rate\"";
    static final String USBTMC = "osgi.service;objectClass:List<String>=\"org.usblogd.api.driver.Driver\";uses:=\""
            + "org.usblogd.api.driver\",org.usblogd.usb.match;driver=usbtmc;class=fe;subclass=03;"
            + "settings:List<String>=\"scpi.*\"";

    @TempDir
    Path plugins;

    private void jar(String name, String provideCapability) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", name);
        if (provideCapability != null) {
            m.getMainAttributes().putValue("Provide-Capability", provideCapability);
        }
        try (OutputStream out = Files.newOutputStream(plugins.resolve(name + ".jar"));
                JarOutputStream j = new JarOutputStream(out, m)) {
            // the manifest is all there is to read
        }
    }

    @Test
    void eachPluginsDeclaredKeysAreReadFromItsManifestWithoutRunningIt() throws Exception {
        jar("audio", AUDIO);
        jar("usbtmc", USBTMC);
        jar("plain", null);
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        Files.writeString(plugins.resolve("notes.txt"), "org.usblogd.usb.match;settings=x.*");

        assertThat(DriverSettings.inJars(plugins)).containsExactly("audio.interval.ms", "audio.weightings",
                "audio.calibration.db", "audio.rate", "scpi.*");
    }

    @Test
    void onlyMatchRowsDeclareKeysAndAQuotedCommaIsPartOfAKey() {
        assertThat(DriverSettings.inHeader("osgi.service;settings=\"x.*\",org.usblogd.usb.match;driver=a;"
                + "settings=\"a.*,b.*\",org.usblogd.usb.match;driver=b;settings:List<String>=\"c\\,d, e \"")
        ).containsExactly("a.*", "b.*", "c,d", "e");
        assertThat(DriverSettings.inHeader(USBTMC.replace(";settings:List<String>=\"scpi.*\"", ""))).isEmpty();
    }

    @Test
    void aPluginsDirectoryThatIsNotThereDeclaresNothing() {
        assertThat(DriverSettings.inJars(plugins.resolve("missing"))).isEmpty();
    }
}
