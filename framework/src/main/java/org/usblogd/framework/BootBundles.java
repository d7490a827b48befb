package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the daemon's own bundles (bundles/, and demo/bundles in demo mode) into a framework that has been
 * initialised, each at its start level and marked to start, so that they start with the framework. Felix's
 * launcher library does the same but prints each failure to stderr, with no priority for the journal: one
 * line per jar in a damaged package, and one per jar left when a stop came while it installed.
 */
final class BootBundles {
    private static final Logger log = LoggerFactory.getLogger(BootBundles.class);
    /** The OSGi log service: installed first, so that the others' reports at their start reach the log. */
    static final String LOG_SERVICE_JAR_PREFIX = "org.apache.felix.log-";

    private final Framework framework;
    private final BooleanSupplier stopRequested;

    /** @param stopRequested true once the daemon is told to stop: what is left is then not installed */
    BootBundles(Framework framework, BooleanSupplier stopRequested) {
        this.framework = framework;
        this.stopRequested = stopRequested;
    }

    /** The jars of a directory in install order: the log service's first, then by name. */
    static List<Path> jarsOf(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString()
                            .startsWith(LOG_SERVICE_JAR_PREFIX)).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /**
     * Installs each jar (its location the file's URI) and marks it to start at the given level; a jar that
     * cannot be is one error line, and the rest are installed. A stop of the framework meanwhile ends it
     * quietly: what is left is not installed, and that is no error.
     *
     * @return how many jars could not be installed, or were installed but could not be marked to start (those are
     *         uninstalled again)
     */
    int install(List<Path> jars, int startLevel) {
        int failed = 0;
        for (Path jar : jars) {
            if (stopping()) {
                return failed;
            }
            Bundle b;
            try {
                b = framework.getBundleContext().installBundle(jar.toFile().toURI().toString());
            } catch (BundleException | IllegalStateException e) {
                if (stopping()) {
                    return failed;
                }
                failed++;
                if (e instanceof BundleException be && be.getType() == BundleException.DUPLICATE_BUNDLE_ERROR) {
                    log.error("{} cannot be installed ({}): another jar there holds the same bundle; remove one of"
                            + " the two", jar, innermost(e));
                } else {
                    log.error("{} cannot be installed ({}): the package's copy is damaged or not a bundle;"
                            + " reinstall usblogd", jar, innermost(e));
                }
                continue;
            }
            if (b.getHeaders().get("Fragment-Host") != null) {
                continue; // attached to its host when that resolves; a fragment is never started
            }
            try {
                b.adapt(BundleStartLevel.class).setStartLevel(startLevel);
                b.start(); // marked only: it starts when the framework reaches its level
            } catch (BundleException | IllegalStateException e) {
                if (stopping()) {
                    return failed;
                }
                failed++;
                log.error("{} ({} {}) cannot be marked to start ({}); reinstall usblogd", jar, b.getSymbolicName(),
                        b.getVersion(), innermost(e));
                uninstallQuietly(b); // else it would be reported a second time, as not active
            }
        }
        return failed;
    }

    private static void uninstallQuietly(Bundle b) {
        try {
            b.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // already said why it is there but not started
        }
    }

    /** A stop has come: the daemon was told to stop, or the framework is neither starting nor running. */
    private boolean stopping() {
        return stopRequested.getAsBoolean() || (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0;
    }

    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : t.toString();
    }
}
