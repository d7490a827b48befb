package org.usblogd.framework;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the plugin bundles in step with the jars in {@code plugins/}: a new jar is installed, a replaced one
 * updated, a removed one uninstalled, and each plugin bundle is started on a thread of its own that nothing
 * waits for. A driver whose activation never returns therefore holds up nothing but that thread: later jars
 * are still handled, and the daemon still stops.
 * <p>
 * FileInstall handled {@code plugins/} before and cannot do this: it starts bundles on its watcher thread
 * while holding its lock (which its own stop then waits for, without a timeout), and Felix restarts an updated
 * active bundle on the thread that updates it. So here a bundle is only updated, uninstalled or refreshed once
 * it is stopped, and only started by {@link #startLater}.
 * <p>
 * One thread ({@code usblogd-plugins}) does the rest. Stops run on a thread of their own that it waits for at
 * most {@code stopTimeoutMs}: a plugin that does not stop (its deactivate hangs, or its activation never
 * returned: see {@link #close}) delays only its own jar, which is handled once it has stopped.
 */
final class PluginDirectory {
    private static final Logger log = LoggerFactory.getLogger(PluginDirectory.class);

    /** A jar as last handled: its file's identity, and the bundle installed from it (-1: none). */
    private static final class Jar {
        Stamp stamp;
        long bundleId = -1;
    }

    /** A start under way: the thread running it, since when (ms). */
    private record Start(Thread thread, long since) {
    }

    /** What changes when a jar is written or replaced. */
    record Stamp(long size, long modifiedNanos, Object fileKey) {
        static Stamp of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
        }
    }

    /** How long a plugin that was activating at a stop gets to finish its stop before it counts as hung. */
    private static final long SETTLE_MS = 1_000;

    private final BundleContext context;
    private final Path dir;
    private final long pollMs;
    private final long stopTimeoutMs;
    private final long refreshTimeoutMs;
    /** Only the watcher thread (and {@link #start} before it runs) touches these two. */
    private final Map<Path, Jar> jars = new HashMap<>();
    /** New or changed jars as seen at the last pass: handled once a pass finds them unchanged. */
    private final Map<Path, Stamp> settling = new HashMap<>();
    /** Bundle id to the thread stopping it, until a pass finds it done. */
    private final Map<Long, Thread> stopping = new ConcurrentHashMap<>();
    /** Bundle id to its start under way; the entry goes when the start returns, if it ever does. */
    private final Map<Long, Start> starting = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile boolean closed;

    /**
     * @param context the system bundle's context
     * @param dir {@code plugins/}
     */
    PluginDirectory(BundleContext context, Path dir, long pollMs, long stopTimeoutMs, long refreshTimeoutMs) {
        this.context = context;
        this.dir = dir;
        this.pollMs = pollMs;
        this.stopTimeoutMs = stopTimeoutMs;
        this.refreshTimeoutMs = refreshTimeoutMs;
        this.watcher = new Thread(this::watch, "usblogd-plugins");
        watcher.setDaemon(true);
    }

    /** Installs what is there now (the starts run on), then watches. */
    void start() {
        scan(false);
        watcher.start();
    }

    /** Waits until the starts under way have returned, or the time is up. */
    void awaitStarts(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() / 1_000_000 + timeoutMs;
        for (Start s : new ArrayList<>(starting.values())) {
            long left = deadline - (System.nanoTime() / 1_000_000);
            if (left <= 0) {
                return;
            }
            s.thread().join(left);
        }
    }

    /**
     * Stops watching, then stops every plugin whose activation has not returned, each on a thread that is left
     * to it, and waits until they have withdrawn their services (or the deadline): the framework can then stop
     * the USB core. Anything that asks Felix for such a driver object waits without a timeout while the hung
     * activation is creating it; done here, whatever waits is a thread of ours, and the service is gone before
     * the core stops. Returns the plugins that, a moment later, have still neither finished activating nor
     * stopped: hung, they keep their bundles stopping, so the framework is not waited for past the store.
     *
     * @param deadline on the monotonic clock, in ms ({@code System.nanoTime() / 1_000_000})
     */
    List<Bundle> close(long deadline) {
        closed = true;
        watcher.interrupt();
        try {
            watcher.join(Math.max(1, Math.min(2_000, deadline - (System.nanoTime() / 1_000_000))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<Bundle, Start> activating = new java.util.LinkedHashMap<>();
        for (Map.Entry<Long, Start> e : starting.entrySet()) {
            Bundle b = context.getBundle(e.getKey());
            if (b == null || (b.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0) {
                continue;
            }
            activating.put(b, e.getValue());
            stopping.computeIfAbsent(b.getBundleId(), id -> stopOn(b, "usblogd-plugin-stop " + name(b)));
        }
        for (Bundle b : activating.keySet()) {
            while (hasServices(b) && (System.nanoTime() / 1_000_000) < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new ArrayList<>(activating.keySet());
                }
            }
        }
        // An activation that was only under way (a stop soon after the start, or after a jar was dropped in) has
        // returned by now, and its stop with it; a hung one has not, and its bundle stays stopping for good.
        List<Bundle> hung = new ArrayList<>();
        for (Map.Entry<Bundle, Start> e : activating.entrySet()) {
            Bundle b = e.getKey();
            Thread stopper = stopping.get(b.getBundleId());
            try {
                stopper.join(Math.max(1, Math.min(SETTLE_MS, deadline - (System.nanoTime() / 1_000_000))));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            Thread activation = e.getValue().thread();
            if (activation.isAlive() || stopper.isAlive()) {
                hung.add(b);
                log.warn("plugin {} ({} {}) has neither finished activating nor stopped {} ms after its start ({});"
                        + " it is left to a thread of its own, so that the rest can stop", name(b),
                        b.getSymbolicName(), b.getVersion(), (System.nanoTime() / 1_000_000) - e.getValue().since(),
                        where(activation.isAlive() ? activation : stopper));
            }
        }
        return hung;
    }

    private static boolean hasServices(Bundle b) {
        try {
            ServiceReference<?>[] refs = b.getRegisteredServices();
            return refs != null && refs.length > 0;
        } catch (IllegalStateException e) {
            return false; // uninstalled
        }
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(pollMs);
                scan(true);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (going()) {
                    return;
                }
                log.warn("handling {} failed: {}", dir, e.toString());
            }
        }
    }

    /**
     * One pass: removals, then updates and new jars, then one refresh, then starts. With {@code settle}, a new or
     * changed jar waits until a pass finds it unchanged: a jar copied in place is not read half written, and a
     * configuration file written just before it is applied first (FileInstall reads conf/ every second too).
     */
    void scan(boolean settle) {
        Map<Path, Stamp> present = list();
        settling.keySet().retainAll(present.keySet());
        Set<Bundle> changed = new HashSet<>();
        boolean any = false;
        for (Path p : new ArrayList<>(jars.keySet())) {
            if (!present.containsKey(p) && !going()) {
                any = true;
                if (remove(p, jars.get(p), changed)) {
                    jars.remove(p);
                }
            }
        }
        for (Map.Entry<Path, Stamp> e : present.entrySet()) {
            Jar jar = jars.get(e.getKey());
            if (going()) {
                break;
            } else if (jar != null && jar.stamp.equals(e.getValue())) {
                settling.remove(e.getKey());
                continue;
            } else if (settle && !e.getValue().equals(settling.put(e.getKey(), e.getValue()))) {
                continue; // new or changed since the last pass: handled at the next one if it stays so
            }
            settling.remove(e.getKey());
            if (jar == null) {
                any = true;
                jar = new Jar();
                jars.put(e.getKey(), jar);
                install(e.getKey(), e.getValue(), jar, changed);
            } else {
                any = true;
                update(e.getKey(), e.getValue(), jar, changed);
            }
        }
        if (!changed.isEmpty() && !going()) {
            refresh(changed);
        }
        if (any && !going()) {
            // Resolving runs no plugin code; done here, a plugin is seen INSTALLED only when it cannot be resolved.
            resolveAll();
            startAll();
        }
    }

    /**
     * Closed, or the framework is stopping (a stop can come while the daemon starts, before this is closed):
     * what fails then is the stop's doing, not the jar's.
     */
    private boolean going() {
        if (closed) {
            return true;
        }
        try {
            return (context.getBundle(0).getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0;
        } catch (IllegalStateException e) {
            return true; // the framework's context is no longer valid: it has stopped
        }
    }

    private Map<Path, Stamp> list() {
        Map<Path, Stamp> found = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                // Only names ending in .jar: dpkg unpacks an upgrade as x.jar.dpkg-new (and keeps x.jar.dpkg-tmp)
                // before renaming it in, and neither must be installed beside x.jar.
                if (name.endsWith(".jar") && !name.startsWith(".") && Files.isRegularFile(p)) {
                    try {
                        found.put(p, Stamp.of(p));
                    } catch (IOException e) {
                        // gone meanwhile: seen at the next pass
                    }
                }
            }
        } catch (IOException e) {
            // no plugins/ (CodeDirectories warns at start): nothing to install
        }
        return found;
    }

    private void install(Path p, Stamp stamp, Jar jar, Set<Bundle> changed) {
        jar.stamp = stamp;
        if (symbolicName(p) == null) {
            return; // not a bundle: the plugin monitor says so; tried again when the file changes
        }
        try (InputStream in = Files.newInputStream(p)) {
            Bundle b = context.installBundle(location(p), in);
            jar.bundleId = b.getBundleId();
            changed.add(b);
            log.info("plugin {} installed: {} {}", p.getFileName(), b.getSymbolicName(), b.getVersion());
        } catch (BundleException | IOException | RuntimeException e) {
            if (!going()) {
                log.warn("plugin {} was not installed: {}; fix or remove the jar", p.getFileName(), e.getMessage());
            }
        }
    }

    private void update(Path p, Stamp stamp, Jar jar, Set<Bundle> changed) {
        Bundle b = jar.bundleId < 0 ? null : context.getBundle(jar.bundleId);
        if (b == null) {
            install(p, stamp, jar, changed);
            return;
        }
        if (!stopped(b, p)) {
            return; // still stopping: this jar is handled again at a later pass
        }
        jar.stamp = stamp;
        if (symbolicName(p) == null) {
            // replaced by something that is not a bundle: the old bundle goes, as if the jar had been removed
            uninstall(b, p, changed);
            jar.bundleId = -1;
            return;
        }
        try (InputStream in = Files.newInputStream(p)) {
            b.update(in); // stopped, so Felix does not start it again here
            changed.add(b);
            log.info("plugin {} updated: {} {}", p.getFileName(), b.getSymbolicName(), b.getVersion());
        } catch (BundleException | IOException | RuntimeException e) {
            if (!going()) {
                log.warn("plugin {} was not updated: {}; the previous version stays stopped until the jar is fixed"
                        + " or removed", p.getFileName(), e.getMessage());
            }
        }
    }

    /** True once the jar's bundle, if any, is gone. */
    private boolean remove(Path p, Jar jar, Set<Bundle> changed) {
        Bundle b = jar.bundleId < 0 ? null : context.getBundle(jar.bundleId);
        if (b == null) {
            return true;
        }
        if (!stopped(b, p)) {
            return false;
        }
        uninstall(b, p, changed);
        return true;
    }

    private void uninstall(Bundle b, Path p, Set<Bundle> changed) {
        try {
            String what = b.getSymbolicName() + " " + b.getVersion();
            b.uninstall();
            changed.add(b);
            log.info("plugin {} removed: {}", p.getFileName(), what);
        } catch (BundleException | IllegalStateException e) {
            if (!going()) {
                log.warn("plugin {} could not be uninstalled: {}", p.getFileName(), e.getMessage());
            }
        }
    }

    /**
     * True when the bundle is not active (any more). An active one is stopped on a thread of its own, waited for
     * at most {@code stopTimeoutMs}; one still stopping after that is not waited for again: a later pass finds it
     * done. SCR bounds the stop of a plugin whose activation hangs ({@code ds.stop.timeout.milliseconds} plus two
     * of its lock timeouts), unless the USB core asks for its driver object while unbinding it; nothing bounds a
     * deactivate method that hangs.
     */
    private boolean stopped(Bundle b, Path p) {
        Thread running = stopping.get(b.getBundleId());
        if (running == null) {
            if ((b.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0) {
                return true;
            }
            running = stopOn(b, "usblogd-plugin-stop " + p.getFileName());
            stopping.put(b.getBundleId(), running);
            try {
                running.join(stopTimeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (running.isAlive()) {
                log.error("plugin {} ({} {}) did not stop within {} ms ({}): the change to its jar waits until it has"
                        + " stopped; restart usblogd to make it now", p.getFileName(), b.getSymbolicName(),
                        b.getVersion(), stopTimeoutMs, where(running));
                return false;
            }
        } else if (running.isAlive()) {
            return false; // still stopping since an earlier pass: not waited for again
        }
        stopping.remove(b.getBundleId());
        return true;
    }

    private static Thread stopOn(Bundle b, String threadName) {
        Thread t = new Thread(() -> {
            try {
                b.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                log.warn("plugin {} did not stop cleanly: {}", name(b), e.getMessage());
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Refreshes the changed plugins (none is active, so Felix restarts nothing) and waits, bounded. */
    private void refresh(Set<Bundle> bundles) {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, e -> done.countDown());
        try {
            if (!done.await(refreshTimeoutMs, TimeUnit.MILLISECONDS)) {
                log.error("refreshing the plugins {} did not finish within {} ms; later changes in {} may wait for it",
                        names(bundles), refreshTimeoutMs, dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resolveAll() {
        List<Bundle> unresolved = new ArrayList<>();
        for (Jar jar : jars.values()) {
            Bundle b = jar.bundleId < 0 ? null : context.getBundle(jar.bundleId);
            if (b != null && b.getState() == Bundle.INSTALLED) {
                unresolved.add(b);
            }
        }
        if (!unresolved.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(unresolved);
        }
    }

    /** Starts every plugin bundle that is not active and not being started or stopped. */
    private void startAll() {
        for (Map.Entry<Path, Jar> e : jars.entrySet()) {
            Bundle b = e.getValue().bundleId < 0 ? null : context.getBundle(e.getValue().bundleId);
            if (b != null && (b.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0 && !isFragment(b)
                    && !starting.containsKey(b.getBundleId()) && !stopping.containsKey(b.getBundleId())) {
                startLater(b, e.getKey());
            }
        }
    }

    /**
     * Starts a bundle on a thread of its own. SCR activates a bundle's immediate components on the thread that
     * starts it; if one never returns, that thread is the one held (the plugin monitor reports it).
     */
    private void startLater(Bundle b, Path p) {
        long id = b.getBundleId();
        Thread t = new Thread(() -> {
            try {
                b.start(Bundle.START_TRANSIENT);
            } catch (BundleException e) {
                // unresolved plugins: the plugin monitor says why
                if (e.getType() != BundleException.RESOLVE_ERROR && !going()) {
                    log.error("plugin {} ({} {}) did not start: {}; fix or remove the jar", p.getFileName(),
                            b.getSymbolicName(), b.getVersion(), e.getCause() == null ? e.getMessage()
                                    : e.getMessage() + ": " + e.getCause());
                }
            } catch (IllegalStateException e) {
                // uninstalled meanwhile
            } finally {
                starting.remove(id);
            }
        }, "usblogd-plugin-start " + p.getFileName());
        t.setDaemon(true);
        starting.put(id, new Start(t, (System.nanoTime() / 1_000_000)));
        t.start();
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /** The jar's Bundle-SymbolicName, or null when it is not a jar or not a bundle. */
    static String symbolicName(Path p) {
        try (JarFile f = new JarFile(p.toFile())) {
            Manifest m = f.getManifest();
            return m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** As FileInstall wrote it ({@code file:/...}), so that tools find the jar of a bundle the same way. */
    static String location(Path p) {
        return p.toAbsolutePath().normalize().toFile().toURI().toString();
    }

    /** The file name in a plugin bundle's location. */
    private static String name(Bundle b) {
        String l = b.getLocation();
        return l.substring(l.lastIndexOf('/') + 1);
    }

    /**
     * Where a thread is, for a log line: its name, its innermost frame outside the JDK and the innermost one of
     * plugin code, when there is one.
     */
    static String where(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        StackTraceElement inner = null;
        StackTraceElement plugin = null;
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (inner == null && !(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                inner = e;
            }
            if (plugin == null && !isFrameworkCode(c)) {
                plugin = e;
            }
        }
        if (inner == null) {
            return "thread " + t.getName() + (stack.length == 0 ? " is in no Java code" : " is in " + stack[0]);
        }
        return "thread " + t.getName() + " is in " + inner + (plugin == null || plugin == inner ? ""
                : ", called from " + plugin);
    }

    private static boolean isFrameworkCode(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("org.apache.felix.") || className.startsWith("org.osgi.")
                || className.startsWith("org.usblogd.framework.");
    }

    private static List<String> names(Set<Bundle> bundles) {
        return bundles.stream().map(b -> Objects.toString(b.getSymbolicName(), b.getLocation())).toList();
    }
}
