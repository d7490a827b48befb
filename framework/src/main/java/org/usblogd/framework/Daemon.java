package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.framework.doctor.ConfigFileEncoding;
import org.usblogd.framework.logging.FrameworkLog;
import org.usblogd.framework.logging.LogServiceBridge;
import org.usblogd.framework.systemd.ServiceWatchdog;
import org.usblogd.framework.systemd.SystemdNotifier;

/**
 * The daemon: Felix with the infrastructure bundles of {@code bundles/} started at boot, FileInstall
 * watching {@code conf/} (configuration), a {@link PluginDirectory} watching {@code plugins/} (drivers), and
 * everything mutable under the state directory. Stopping the framework deactivates every component, so
 * devices are released and the store writes what it has queued before the process ends.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** How long stopping may take in all; systemd allows 60 s (TimeoutStopSec) before it kills. */
    private static final long STOP_TIMEOUT_MS = 30_000;
    /** Of which the store keeps this much for itself if the framework is stuck stopping something before it. */
    private static final long STORE_RESERVE_MS = 10_000;
    /** Once the store has stopped, how long the rest of the framework may take before usblogd exits anyway. */
    private static final long AFTER_STORE_MS = 5_000;
    /**
     * SCR waits this long (default 60 s) for a bundle's components to finish activating before it disposes them
     * anyway when the bundle stops. With a driver whose activation never returns, each stop of it waited that
     * long. SCR's lock waits stay at their 5 s: shorter ones would fail slow but sound activations.
     */
    private static final long SCR_STOP_TIMEOUT_MS = 2_000;
    /**
     * Start levels; the framework stops the highest first. The USB core stops first (sessions end, devices are
     * released, nothing more is recorded), then the store (it writes what it holds), then the plugins and the
     * rest: a plugin that cannot be stopped then keeps nothing from being written. The plugins are installed
     * after the framework has started, at the initial bundle start level.
     */
    private static final int INFRASTRUCTURE_START_LEVEL = 1;
    private static final int PLUGIN_START_LEVEL = 2;
    private static final int STORE_START_LEVEL = 3;
    private static final int CORE_START_LEVEL = 4;
    private static final String STORE_BUNDLE = "org.usblogd.store";
    /**
     * The health API package as the launcher provides it to the framework: at the version its package-info
     * says (HealthApiExportTest compares them), so the bundles' imports wire to this one copy.
     */
    static final String HEALTH_API = "org.usblogd.api.health;version=1.0.0";
    private static final String CORE_BUNDLE = "org.usblogd.usb";
    private static final long PLUGINS_POLL_MS = 1_000;
    private static final long PLUGINS_START_WAIT_MS = 10_000;
    /** How long a stopping plugin is waited for: SCR's 2 s plus its two 5 s lock waits, with a margin. */
    private static final long PLUGIN_STOP_TIMEOUT_MS = 15_000;
    /**
     * How long a stop waits for the start's phase under way (installing, raising the start level, installing the
     * plugins: a second or two) before it stops the framework anyway; within systemd's 60 s with the stop's 30.
     */
    private static final long START_PHASE_WAIT_MS = 10_000;
    private static final long PLUGINS_REFRESH_TIMEOUT_MS = 30_000;

    private final Path home;
    private final Path state;
    private final boolean demo;
    private volatile Framework framework;
    private volatile PluginDirectory plugins;
    /** Held from before anything in the state directory is touched until the framework has stopped. */
    private final AtomicReference<StateLock> stateLock = new AtomicReference<>();
    /** Set by the shutdown hook: the framework is stopped because usblogd was told to stop. */
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicReference<ConfigurationCopies> configurationCopies = new AtomicReference<>();
    private final AtomicReference<LogServiceBridge> logBridge = new AtomicReference<>();
    /** Set first thing by {@link #stop}: {@link #start} ends, quietly, at its next phase. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    /**
     * Held by {@link #start} through each of its phases, from the framework's creation until the plugins are
     * installed, and taken by {@link #stop} before it stops the framework: a stop then finds either a framework
     * not yet started or one started with its plugin directory to close, never one half way (a framework that
     * Felix restarts because its start came after the stop had begun, bundles reported not active because the
     * stop stopped them, a plugin directory created after the stop looked for it).
     */
    private final ReentrantLock startPhase = new ReentrantLock();

    public Daemon(Path home, Path state, boolean demo) {
        this.home = home;
        this.state = state;
        this.demo = demo;
    }

    /**
     * Runs in the foreground until the framework stops; SIGTERM stops it through a shutdown hook (the JVM then
     * exits with 143). A framework that stops on its own ends run with status 1, so that systemd
     * (Restart=on-failure) starts usblogd again.
     */
    int runUntilStopped() {
        SystemdNotifier notifier = new SystemdNotifier(System.getenv());
        AtomicReference<ServiceWatchdog> watchdog = new AtomicReference<>();
        // Before the framework starts: a SIGTERM while it starts (plugins may take seconds) still stops it cleanly.
        Thread hook = new Thread(() -> {
            stopRequested.set(true);
            notifier.send("STOPPING=1");
            ServiceWatchdog w = watchdog.get();
            if (w != null) {
                w.stop();
            }
            stop();
        }, "usblogd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Framework fw;
        try {
            fw = start();
        } catch (StateDirectoryException e) {
            log.error(e.getMessage());
            return 1;
        } catch (Exception e) {
            if (stopRequested.get()) {
                return 0;
            }
            log.error("usblogd could not start: {}", e.getMessage(), e);
            return 1;
        }
        ServiceWatchdog w = new ServiceWatchdog(fw.getBundleContext(), notifier,
                Long.getLong("usblogd.watchdog.stall.ms", 10_000));
        watchdog.set(w);
        w.start();
        FrameworkEvent stopped;
        try {
            stopped = fw.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (stopRequested.get()) {
            return 0; // SIGTERM: the JVM's own status (143) stands
        }
        closePlugins(System.nanoTime() / 1_000_000);
        w.stop();
        log.error("the framework stopped by itself ({}), not because usblogd was told to stop: usblogd exits with"
                + " status 1 so that systemd restarts it; the lines above say what stopped it", describe(stopped));
        return 1;
    }

    /**
     * The framework created, its bundles installed and started, the plugins installed; under {@link #startPhase}.
     *
     * @return what the start line adds about bundles that are not active or not installed
     */
    private String startFramework() throws IOException, BundleException {
        stoppedWhileStarting();
        ConfigurationCopies copies = ConfigurationCopies.create(System.getenv());
        configurationCopies.set(copies);
        Map<String, String> config = frameworkConfig();
        config.put("felix.cm.dir", copies.dir().toString());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Map<String, Object> launch = new HashMap<>(config);
        launch.put("felix.log.logger", new FrameworkLog()); // an object, where the rest are strings
        @SuppressWarnings({ "unchecked", "rawtypes" })
        Map<String, String> withLogger = (Map) launch;
        framework = factory.newFramework(withLogger);
        framework.init();
        LogServiceBridge bridge = new LogServiceBridge(framework.getBundleContext());
        logBridge.set(bridge);
        bridge.open();
        BootBundles boot = new BootBundles(framework, stopping::get);
        int notInstalled = boot.install(BootBundles.jarsOf(home.resolve("bundles")), INFRASTRUCTURE_START_LEVEL);
        if (demo) {
            // the families' twins: only the demo has them, a plain run carries no simulated device
            notInstalled += boot.install(demoBundles(), PLUGIN_START_LEVEL);
        }
        stoppedWhileStarting();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (STORE_BUNDLE.equals(b.getSymbolicName())) {
                b.adapt(BundleStartLevel.class).setStartLevel(STORE_START_LEVEL);
            } else if (CORE_BUNDLE.equals(b.getSymbolicName())) {
                b.adapt(BundleStartLevel.class).setStartLevel(CORE_START_LEVEL);
            }
        }
        framework.start();
        stoppedWhileStarting();
        int problems = 0;
        for (Bundle b : framework.getBundleContext().getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !fragment) {
                problems++;
                log.error("bundle {} {} is not active (state {}); check its imports", b.getSymbolicName(),
                        b.getVersion(), b.getState());
            }
        }
        // Plugins after the infrastructure, each started on a thread of its own; a broken one is the plugin
        // monitor's to report, not a reason for the daemon not to run.
        plugins = new PluginDirectory(framework.getBundleContext(), home.resolve("plugins"), PLUGINS_POLL_MS,
                PLUGIN_STOP_TIMEOUT_MS, PLUGINS_REFRESH_TIMEOUT_MS);
        plugins.start();
        return problems(problems, notInstalled);
    }

    private void stoppedWhileStarting() {
        if (stopping.get()) {
            throw new IllegalStateException("usblogd was stopped while it started");
        }
    }

    private static String problems(int notActive, int notInstalled) {
        List<String> parts = new java.util.ArrayList<>();
        if (notActive > 0) {
            parts.add(notActive + " not active");
        }
        if (notInstalled > 0) {
            parts.add(notInstalled + " not installed");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String describe(FrameworkEvent e) {
        String type = switch (e.getType()) {
        case FrameworkEvent.STOPPED -> "a bundle stopped it";
        case FrameworkEvent.STOPPED_UPDATE -> "it was updated";
        case FrameworkEvent.STOPPED_SYSTEM_REFRESHED -> "the system bundle was refreshed";
        case FrameworkEvent.STOPPED_BOOTCLASSPATH_MODIFIED -> "its boot class path changed";
        case FrameworkEvent.ERROR -> "an error";
        default -> "event type " + e.getType();
        };
        return e.getThrowable() == null ? type : type + ": " + e.getThrowable();
    }

    /**
     * Starts the framework and returns once every boot bundle has been started and the plugins present have
     * started (or {@link #PLUGINS_START_WAIT_MS} has passed: a plugin whose activation hangs does not hold the
     * daemon up). Before anything else, the state directory is checked and locked: one whose owner is not the
     * user running, or that cannot be written, or that another daemon holds, ends start with a
     * {@link StateDirectoryException} that says why in one line, and nothing there has been touched. A stop
     * that comes while it starts ends start at its next phase with an {@link IllegalStateException}, and
     * quietly: the stop is under way.
     */
    public Framework start() throws IOException, BundleException {
        StateDirectoryCheck.check(state);
        StateLock lock;
        try {
            Files.createDirectories(state);
            lock = StateLock.acquire(state);
        } catch (StateDirectoryException e) {
            throw e;
        } catch (IOException e) {
            throw new StateDirectoryException("cannot take the state directory " + state + ": " + e
                    + "; give usblogd one it can create and write (--state DIR)");
        }
        if (!stateLock.compareAndSet(null, lock)) {
            lock.close();
            throw new IllegalStateException("this daemon was started already");
        }
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("conf"));
        CodeDirectories.warnings(home.resolve("plugins"), home.resolve("conf")).forEach(log::warn);
        for (Path conf : configurationDirectories()) {
            ConfigFileEncoding.problems(conf).forEach(log::warn);
        }
        // H2's automatic server (export while the daemon runs) must not listen beyond this machine.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        String problems;
        startPhase.lock();
        try {
            problems = startFramework();
        } finally {
            startPhase.unlock();
        }
        try {
            plugins.awaitStarts(PLUGINS_START_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stoppedWhileStarting();
        log.info("usblogd started: {} bundles{}, state {}{}", framework.getBundleContext().getBundles().length,
                problems, state, demo ? ", demo mode" : "");
        if (demo) {
            log.info("demo mode: simulated devices are added on the virtual bus next to the real USB bus");
        }
        return framework;
    }

    /**
     * Stops the framework and waits for it, at most {@link #STOP_TIMEOUT_MS} in all; safe to call more than
     * once. Plugins whose activation never returned are stopped first (see {@link PluginDirectory#close}). Once
     * the store has stopped, the rest gets {@link #AFTER_STORE_MS}; if the framework is still stuck before the
     * store when only the store's reserve is left, the store bundle is stopped directly, so that it writes what
     * it holds before the process ends.
     */
    public void stop() {
        stopping.set(true);
        boolean waited = false;
        try {
            waited = startPhase.tryLock(START_PHASE_WAIT_MS, TimeUnit.MILLISECONDS);
            if (!waited) {
                log.warn("the start has not finished its phase within {} ms; the framework is stopped anyway",
                        START_PHASE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stopFramework();
        } finally {
            if (waited) {
                startPhase.unlock();
            }
            LogServiceBridge bridge = logBridge.getAndSet(null);
            if (bridge != null) {
                bridge.close(); // else a framework that never got past a hung plugin stays reachable through it
            }
            releaseState();
        }
    }

    private void stopFramework() {
        Framework fw = framework;
        if (fw == null || (fw.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0) {
            return;
        }
        log.info("usblogd stopping");
        long deadline = System.nanoTime() / 1_000_000 + STOP_TIMEOUT_MS;
        Bundle store = bundle(fw, STORE_BUNDLE);
        boolean storeWasActive = store != null && store.getState() == Bundle.ACTIVE;
        // A plugin given up here keeps its bundle stopping for ever: the framework gets past the store, not past it.
        long afterStore = closePlugins(System.nanoTime() / 1_000_000 + PLUGIN_STOP_TIMEOUT_MS).isEmpty() ? AFTER_STORE_MS
                : 0;
        try {
            fw.stop();
            if (awaitStop(fw, storeWasActive ? store : null, afterStore, deadline - STORE_RESERVE_MS)) {
                return;
            }
            if (storeWasActive && store.getState() == Bundle.ACTIVE) {
                log.error("the framework did not stop within {} ms ({}); the store is stopped directly so that it"
                        + " writes what it holds", STOP_TIMEOUT_MS - STORE_RESERVE_MS, stuck(fw));
                stopStore(store, deadline);
            }
            if (!awaitStop(fw, storeWasActive ? store : null, 0, deadline)) {
                log.error("the framework did not stop within {} ms ({}); usblogd exits anyway", STOP_TIMEOUT_MS,
                        stuck(fw));
            }
        } catch (BundleException e) {
            log.error("stopping the framework failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseState() {
        ConfigurationCopies copies = configurationCopies.getAndSet(null);
        if (copies != null) {
            copies.close();
        }
        StateLock lock = stateLock.getAndSet(null);
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("could not release the lock on {}: {}", state, e.getMessage());
            }
        }
    }

    /**
     * Waits until the framework has stopped (true), or the store has stopped and the rest has had
     * {@code afterStoreMs} more (true: what matters is written), or the time is up (false).
     */
    private boolean awaitStop(Framework fw, Bundle store, long afterStoreMs, long until) throws InterruptedException {
        long storeStoppedAt = 0;
        while (true) {
            long now = System.nanoTime() / 1_000_000;
            FrameworkEvent e = fw.waitForStop(Math.max(1, Math.min(250, until - now)));
            if (e.getType() != FrameworkEvent.WAIT_TIMEDOUT) {
                log.info("usblogd stopped");
                return true;
            }
            now = System.nanoTime() / 1_000_000;
            if (store != null && (store.getState() & (Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
                storeStoppedAt = storeStoppedAt == 0 ? now : storeStoppedAt;
                if (now - storeStoppedAt >= afterStoreMs) {
                    log.warn("the framework did not finish stopping ({}); the store has written what it held, and"
                            + " usblogd exits without waiting for the rest", stuck(fw));
                    return true;
                }
            }
            if (now >= until) {
                return false;
            }
        }
    }

    /** Closes the plugin directory; returns the plugins it gave up (their activation never returned). */
    private List<Bundle> closePlugins(long deadline) {
        PluginDirectory p = plugins;
        return p == null ? List.of() : p.close(deadline);
    }

    private static Bundle bundle(Framework fw, String symbolicName) {
        BundleContext c = fw.getBundleContext();
        for (Bundle b : c == null ? new Bundle[0] : c.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** The bundles the framework is stopping when it should be done: what to name in the log. */
    private static String stuck(Framework fw) {
        List<String> stopping = new ArrayList<>();
        BundleContext c = fw.getBundleContext();
        for (Bundle b : c == null ? new Bundle[0] : c.getBundles()) {
            if (b.getState() == Bundle.STOPPING && b.getBundleId() != 0) {
                stopping.add(b.getSymbolicName() + " " + b.getVersion() + " (" + b.getLocation() + ")");
            }
        }
        return stopping.isEmpty() ? "no bundle is stopping" : "still stopping: " + String.join(", ", stopping);
    }

    /** Stops the store bundle on a thread of its own, waiting at most until the deadline. */
    private static void stopStore(Bundle store, long deadline) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                store.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                log.error("stopping the store failed: {}", e.getMessage());
            }
        }, "usblogd-store-stop");
        t.setDaemon(true);
        t.start();
        t.join(Math.max(1, deadline - (System.nanoTime() / 1_000_000)));
        if (t.isAlive()) {
            log.error("the store did not stop before the stop timeout ran out: samples it still held are lost");
        }
    }

    /** conf/, and with --demo also demo/conf: how the configured drivers (generic HID, ...) read the demo's twins. */
    private List<Path> configurationDirectories() {
        Path demoConf = home.resolve("demo/conf");
        return demo && Files.isDirectory(demoConf) ? List.of(home.resolve("conf"), demoConf) : List.of(home.resolve("conf"));
    }

    /** The jars in demo/bundles: the simulated devices. */
    private List<Path> demoBundles() {
        try {
            return BootBundles.jarsOf(home.resolve("demo/bundles"));
        } catch (java.io.IOException e) {
            log.warn("demo mode without simulated devices: cannot list {}: {}", home.resolve("demo/bundles"),
                    e.toString());
            return List.of();
        }
    }

    private Map<String, String> frameworkConfig() {
        Map<String, String> c = new HashMap<>();
        // A fresh cache each start: the bundles are those of bundles/ and plugins/ as they are now.
        c.put("org.osgi.framework.storage", state.resolve("felix-cache").toString());
        c.put("org.osgi.framework.storage.clean", "onFirstInit");
        // bundles/ at level 1 (the store and the USB core are raised in start()), plugins/ at 2: see the start levels
        c.put("felix.startlevel.bundle", Integer.toString(PLUGIN_START_LEVEL));
        c.put("org.osgi.framework.startlevel.beginning", Integer.toString(CORE_START_LEVEL));
        // FileInstall reads configuration only: plugins/ is the PluginDirectory's, which never starts a bundle on
        // the thread that watches (FileInstall does, so one hung activation stopped all plugin handling).
        c.put("felix.fileinstall.dir", String.join(",", configurationDirectories().stream().map(Path::toString)
                .toList()));
        c.put("felix.fileinstall.filter", ".*\\.cfg");
        // .cfg files are UTF-8, as doctor and udev-rules read them; FileInstall's default is ISO-8859-1
        c.put("felix.fileinstall.configEncoding", "UTF-8");
        c.put("felix.fileinstall.bundles.new.start", "false");
        c.put("felix.fileinstall.poll", "1000");
        c.put("felix.fileinstall.noInitialDelay", "true");
        c.put("felix.fileinstall.log.level", "2");
        // conf/ belongs to the administrator: configuration changed at runtime is not written back into it.
        c.put("felix.fileinstall.enableConfigSave", "false");
        c.put("ds.stop.timeout.milliseconds", Long.toString(SCR_STOP_TIMEOUT_MS));
        // The OSGi log service keeps no history: the launcher listens from its start (LogServiceBridge).
        c.put("org.apache.felix.log.maxSize", "0");
        // slf4j and logback live on the launcher's class path; H2 and HikariCP import the 1.7 range.
        // The health API too: the watchdog (here, outside the framework) calls the bundles' HealthCheck services;
        // and the log service's API, which the launcher listens through.
        c.put("org.osgi.framework.system.packages.extra", "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
                + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,"
                + "org.slf4j;version=1.7.36,org.slf4j.spi;version=1.7.36,org.slf4j.helpers;version=1.7.36,"
                + "org.osgi.service.log;version=1.5.0,"
                + HEALTH_API);
        c.put("usblogd.home", home.toString());
        c.put("usblogd.state", state.toString());
        c.put("usblogd.demo", Boolean.toString(demo));
        if (Version.number() != null) {
            c.put("usblogd.version", Version.number()); // what status says the daemon runs
        }
        // The HTTP server (Felix's Jetty) listens only once the HTTP bundle has configured it from
        // conf/org.usblogd.http.cfg: never on Jetty's own default, never where that file forbids it.
        c.put("org.apache.felix.http.require.config", "true");
        return c;
    }
}
