package org.usblogd.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The test plugins the build made, in the versions a test needs, and a copy of the installation to drop them into. */
final class PluginJars {
    private PluginJars() {
    }

    /** The counter driver jar built by testing/plugins/counter. */
    static Path counterDriver() {
        return built("counter", "usblogd.counterDriver");
    }

    /** The driver whose activation never returns, built by testing/plugins/hung. */
    static Path hungDriver() {
        return built("hung", "usblogd.hungDriver");
    }

    private static Path built(String plugin, String property) {
        String p = System.getProperty(property);
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new AssertionError("the " + plugin + " test plugin was not built (" + property + "=" + p + ")");
        }
        return Path.of(p);
    }

    /** The same bundle with another Bundle-Version and, optionally, one more manifest header. */
    static byte[] withVersion(Path jar, String version, String extraHeader, String extraValue) throws IOException {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Bundle-Version", version);
        if (extraHeader != null) {
            headers.put(extraHeader, extraValue);
        }
        return withHeaders(jar, headers);
    }

    /** The manifest header of the built jar. */
    static String header(Path jar, String name) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return in.getManifest().getMainAttributes().getValue(name);
        }
    }

    /** The same jar with some manifest headers replaced. */
    static byte[] withHeaders(Path jar, java.util.Map<String, String> headers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest m = new Manifest(in.getManifest());
            headers.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
            try (JarOutputStream jo = new JarOutputStream(out, m)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    jo.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jo);
                    jo.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * A bundle of one class from this test class path, its activator: the smallest bundle that does something
     * when it starts and stops.
     */
    static byte[] bundleOf(String symbolicName, Class<? extends org.osgi.framework.BundleActivator> activator,
            String importPackage) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(new Attributes.Name("Bundle-ManifestVersion"), "2");
        a.put(new Attributes.Name("Bundle-SymbolicName"), symbolicName);
        a.put(new Attributes.Name("Bundle-Version"), "1.0.0");
        a.put(new Attributes.Name("Bundle-Activator"), activator.getName());
        a.put(new Attributes.Name("Import-Package"), importPackage);
        String entry = activator.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jo = new JarOutputStream(out, m);
                java.io.InputStream in = activator.getClassLoader().getResourceAsStream(entry)) {
            jo.putNextEntry(new JarEntry(entry));
            in.transferTo(jo);
            jo.closeEntry();
        }
        return out.toByteArray();
    }

    /**
     * Puts a jar into a watched directory the safe way: written completely under another name outside it,
     * then renamed in, so FileInstall never sees half a jar.
     */
    static void drop(byte[] jar, Path plugins, String name) throws IOException {
        Path staging = plugins.resolveSibling("staging");
        Files.createDirectories(staging);
        Path tmp = Files.createTempFile(staging, name, ".part");
        Files.write(tmp, jar);
        Files.move(tmp, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A private copy of the assembled installation (bin, lib, bundles, plugins, conf). */
    static Path copyOfInstallation(Path target) throws IOException {
        copyOfPackage(target);
        // a test installation: the virtual bus without --demo, and the counters and streams tests log on it
        try (Stream<Path> demo = Files.list(target.resolve("demo/bundles"))) {
            for (Path sim : demo.filter(p -> p.getFileName().toString().startsWith("sim-")).toList()) {
                Files.move(sim, target.resolve("bundles").resolve(sim.getFileName()));
            }
        }
        Files.copy(counterTwin(), target.resolve("bundles/counter-twin.jar"));
        return target;
    }

    /** The counters and sample streams of the tests, built by testing/plugins/counter/twin. */
    static Path counterTwin() {
        return built("counter twin", "usblogd.counterTwin");
    }

    /** A copy of the installation as it is shipped: no simulator outside demo/. */
    static Path copyOfPackage(Path target) throws IOException {
        Path home = Dist.home();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = home.relativize(p);
                if (rel.startsWith("state")) {
                    continue;
                }
                Path to = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }
}
