package org.usblogd.framework.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.usblogd.api.config.ConfigRules;

/** The rules of the installed jars, as {@code usblogd check} loads them without starting a bundle. */
class InstalledRulesTest {
    /** The store's rules class, which the launcher's class path (and so this test's) holds. */
    private static final String STORE_RULES = "org.usblogd.store.internal.StoreConfigRules";

    @TempDir
    Path plugins;

    private Path jar(String file, String bundle, String version, String rulesClass) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", bundle + ";singleton:=true");
        m.getMainAttributes().putValue("Bundle-Version", version);
        Path jar = plugins.resolve(file);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("META-INF/services/" + ConfigRules.class.getName()));
            j.write((rulesClass + "\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }

    @Test
    void ofTwoVersionsOfABundleTheNewerOneGivesTheRulesAsItIsTheOneTheDaemonRuns() throws Exception {
        jar("store-0.9.0.jar", "org.usblogd.store", "0.9.0", STORE_RULES);
        Path newer = jar("store-0.10.0.jar", "org.usblogd.store", "0.10.0", STORE_RULES);
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");

        try (InstalledRules rules = new InstalledRules(List.of(plugins))) {
            assertThat(rules.jars()).containsExactly(newer);
            assertThat(rules.pids()).containsExactly("org.usblogd.store");
            assertThat(rules.problems()).isEmpty();
        }
    }

    @Test
    void aJarWhoseRulesCannotBeLoadedIsOneLineAndTheOthersStillApply() throws Exception {
        Path missing = jar("thing-1.0.0.jar", "org.example.thing", "1.0.0", "org.example.NoSuchRules");
        jar("store-0.1.0.jar", "org.usblogd.store", "0.1.0", STORE_RULES);

        try (InstalledRules rules = new InstalledRules(List.of(plugins))) {
            assertThat(rules.pids()).containsExactly("org.usblogd.store");
            assertThat(rules.problems()).singleElement().asString().startsWith(missing + ": its configuration rules"
                    + " cannot be loaded (").endsWith("); the files it reads are not checked");
        }
    }
}
