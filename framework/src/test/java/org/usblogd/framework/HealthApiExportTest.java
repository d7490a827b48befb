package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.usblogd.api.health.HealthCheck;

class HealthApiExportTest {

    @Test
    void theLauncherProvidesTheHealthApiAtTheVersionTheApiBundleExportsIt() throws Exception {
        String exports = apiManifest().getMainAttributes().getValue("Export-Package");
        Matcher exported = Pattern.compile("org\\.usblogd\\.api\\.health;version=\"([^\"]+)\"").matcher(exports);
        assertThat(exported.find()).as("the api bundle exports org.usblogd.api.health: %s", exports).isTrue();

        assertThat(Daemon.HEALTH_API).isEqualTo("org.usblogd.api.health;version=" + exported.group(1));
        assertThat(Daemon.HEALTH_API).startsWith(HealthCheck.class.getPackageName() + ";");
    }

    @Test
    void theApiBundleImportsTheHealthApiSoThatItUsesTheLaunchersCopy() throws Exception {
        String imports = apiManifest().getMainAttributes().getValue("Import-Package");
        assertThat(imports).contains("org.usblogd.api.health;version=\"[1.0,2)\"");
    }

    /** The api bundle's manifest as bnd wrote it: in its classes directory in the reactor, or in its jar. */
    private static Manifest apiManifest() throws Exception {
        URL location = HealthCheck.class.getProtectionDomain().getCodeSource().getLocation();
        Path path = Path.of(location.toURI());
        if (Files.isDirectory(path)) {
            try (InputStream in = Files.newInputStream(path.resolve("META-INF/MANIFEST.MF"))) {
                return new Manifest(in);
            }
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getManifest();
        }
    }
}
