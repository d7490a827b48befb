package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The plugin watcher in a real Felix with bundles made on the fly. A start that never returns is made the way
 * SCR makes it for a hung activate: a synchronous listener on STARTED, which runs on the thread that starts.
 */
class PluginDirectoryTest {
    @TempDir
    Path tmp;
    Path plugins;
    Framework fw;
    BundleContext context;
    PluginDirectory directory;
    /** Symbolic name and version whose start blocks, to the thread it blocks. */
    final Map<String, String> startedOn = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        plugins = Files.createDirectory(tmp.resolve("plugins"));
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", tmp.resolve("cache").toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        fw.start();
        context = fw.getBundleContext();
        context.addBundleListener((SynchronousBundleListener) e -> {
            Bundle b = e.getBundle();
            if (e.getType() == BundleEvent.STARTED && b.getSymbolicName() != null) {
                startedOn.put(b.getSymbolicName() + " " + b.getVersion(), Thread.currentThread().getName());
                if (b.getSymbolicName().startsWith("hung")
                        || b.getVersion().equals(Version.parseVersion("9.0.0"))) {
                    try {
                        release.await(); // "never" returns: until the test is over
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        directory = new PluginDirectory(context, plugins, 50, 2_000, 10_000);
    }

    @AfterEach
    void stop() throws Exception {
        directory.close(System.nanoTime() / 1_000_000 + 1_000);
        release.countDown();
        fw.stop();
        fw.waitForStop(10_000);
    }

    @Test
    void jarsAreInstalledUpdatedAndRemovedAndStartedOffTheWatcherThread() throws Exception {
        drop("a.jar", bundle("a", "1.0.0"));
        drop("notabundle.jar", "not a jar".getBytes());
        directory.start();
        // Felix marks the bundle ACTIVE before it tells the synchronous listeners that it started
        await("a 1.0.0 started", () -> startedOn.containsKey("a 1.0.0") && active("a", "1.0.0"));
        assertThat(startedOn.get("a 1.0.0")).isEqualTo("usblogd-plugin-start a.jar");
        assertThat(context.getBundles()).hasSize(2); // the framework and a: the other file is no bundle

        drop("a.jar", bundle("a", "1.0.1"));
        await("a 1.0.1 active", () -> active("a", "1.0.1"));
        assertThat(context.getBundles()).hasSize(2);

        Files.delete(plugins.resolve("a.jar"));
        await("a uninstalled", () -> find("a") == null);
    }

    @Test
    void dpkgsHalfUnpackedJarsAreIgnoredUntilDpkgRenamesThemIn() throws Exception {
        drop("a.jar", bundle("a", "1.0.0"));
        directory.start();
        await("a 1.0.0 active", () -> active("a", "1.0.0"));

        // an upgrade of the package while the daemon runs: dpkg unpacks beside the old files, then renames
        drop("a.jar.dpkg-new", bundle("a", "2.0.0"));
        Files.createLink(plugins.resolve("a.jar.dpkg-tmp"), plugins.resolve("a.jar"));
        drop("b.jar.dpkg-new", bundle("b", "1.0.0"));
        drop("z.jar", bundle("z", "1.0.0"));
        await("z active: passes ran over the dpkg files", () -> active("z", "1.0.0"));
        assertThat(find("b")).as("b.jar.dpkg-new is not a plugin").isNull();
        assertThat(active("a", "1.0.0")).as("a.jar.dpkg-new does not replace a.jar").isTrue();
        assertThat(context.getBundles()).hasSize(3);

        Files.move(plugins.resolve("a.jar.dpkg-new"), plugins.resolve("a.jar"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.delete(plugins.resolve("a.jar.dpkg-tmp"));
        await("a 2.0.0 active once renamed in", () -> active("a", "2.0.0"));
        assertThat(context.getBundles()).hasSize(3);
    }

    @Test
    void aStartThatNeverReturnsHoldsUpNoOtherJar() throws Exception {
        directory.start();
        drop("hung.jar", bundle("hung", "1.0.0"));
        await("the hung start under way", () -> startedOn.containsKey("hung 1.0.0"));

        drop("b.jar", bundle("b", "1.0.0"));
        await("b active", () -> active("b", "1.0.0"));
        Files.delete(plugins.resolve("b.jar"));
        await("b uninstalled", () -> find("b") == null);

        // An update whose new version hangs in its start holds up nothing either.
        drop("c.jar", bundle("c", "1.0.0"));
        await("c active", () -> active("c", "1.0.0"));
        drop("c.jar", bundle("c", "9.0.0"));
        await("c 9.0.0 starting", () -> startedOn.containsKey("c 9.0.0"));
        drop("d.jar", bundle("d", "1.0.0"));
        await("d active", () -> active("d", "1.0.0"));

        assertThat(directory.close(System.nanoTime() / 1_000_000 + 2_000)).extracting(Bundle::getSymbolicName)
                .containsExactlyInAnyOrder("hung", "c");
    }

    private boolean active(String name, String version) {
        Bundle b = find(name);
        return b != null && b.getState() == Bundle.ACTIVE && b.getVersion().equals(Version.parseVersion(version));
    }

    private Bundle find(String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Written beside plugins/ and renamed in, as users are told to. */
    private void drop(String name, byte[] jar) throws IOException {
        Path part = Files.write(tmp.resolve(name + ".part"), jar);
        Files.move(part, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] bundle(String name, String version) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", name);
        m.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("readme.txt"));
            j.write(("plugin " + name + " " + version).getBytes());
        }
        return out.toByteArray();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
