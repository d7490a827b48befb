package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.framework.systemd.ServiceWatchdog;
import org.usblogd.framework.systemd.SystemdNotifier;

/**
 * The daemon: Felix with the infrastructure bundles of {@code bundles/} started at boot, FileInstall
 * watching {@code conf/} (configuration) and {@code plugins/} (drivers), and everything mutable under the
 * state directory. Stopping the framework deactivates every component, so devices are released and the
 * store writes what it has queued before the process ends.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private static final long STOP_TIMEOUT_MS = 30_000;

    private final Path home;
    private final Path state;
    private final boolean demo;
    private Framework framework;

    public Daemon(Path home, Path state, boolean demo) {
        this.home = home;
        this.state = state;
        this.demo = demo;
    }

    /** Runs in the foreground until the framework stops; SIGTERM stops it through a shutdown hook. */
    int runUntilStopped() {
        Framework fw;
        try {
            fw = start();
        } catch (Exception e) {
            log.error("usblogd could not start: {}", e.getMessage(), e);
            return 1;
        }
        SystemdNotifier notifier = new SystemdNotifier(System.getenv());
        ServiceWatchdog watchdog = new ServiceWatchdog(fw.getBundleContext(), notifier,
                Long.getLong("usblogd.watchdog.stall.ms", 10_000));
        watchdog.start();
        Thread hook = new Thread(() -> {
            notifier.send("STOPPING=1");
            watchdog.stop();
            stop();
        }, "usblogd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            fw.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts the framework and returns once every boot bundle has been started. */
    public Framework start() throws IOException, BundleException {
        Files.createDirectories(state);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("conf"));
        CodeDirectories.warnings(home.resolve("plugins"), home.resolve("conf")).forEach(log::warn);
        // H2's automatic server (export while the daemon runs) must not listen beyond this machine.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        Map<String, String> config = frameworkConfig();
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(config);
        framework.init();
        AutoProcessor.process(config, framework.getBundleContext());
        framework.start();
        int problems = 0;
        for (Bundle b : framework.getBundleContext().getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !fragment) {
                problems++;
                log.error("bundle {} {} is not active (state {}); check its imports", b.getSymbolicName(),
                        b.getVersion(), b.getState());
            }
        }
        log.info("usblogd started: {} bundles{}, state {}{}", framework.getBundleContext().getBundles().length,
                problems == 0 ? "" : " (" + problems + " not active)", state, demo ? ", demo mode" : "");
        if (demo) {
            log.info("demo mode: simulated devices are added on the virtual bus next to the real USB bus");
        }
        return framework;
    }

    /** Stops the framework and waits for it; safe to call more than once. */
    public void stop() {
        Framework fw = framework;
        if (fw == null || (fw.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) == 0) {
            return;
        }
        log.info("usblogd stopping");
        try {
            fw.stop();
            FrameworkEvent e = fw.waitForStop(STOP_TIMEOUT_MS);
            if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                log.error("the framework did not stop within {} ms", STOP_TIMEOUT_MS);
            } else {
                log.info("usblogd stopped");
            }
        } catch (BundleException e) {
            log.error("stopping the framework failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, String> frameworkConfig() {
        Map<String, String> c = new HashMap<>();
        // A fresh cache each start: the bundles are those of bundles/ and plugins/ as they are now.
        c.put("org.osgi.framework.storage", state.resolve("felix-cache").toString());
        c.put("org.osgi.framework.storage.clean", "onFirstInit");
        c.put("felix.auto.deploy.dir", home.resolve("bundles").toString());
        c.put("felix.auto.deploy.action", "install,start");
        // --demo also reads demo/conf: how the configured drivers (generic HID, ...) read the demo's twins
        c.put("felix.fileinstall.dir", home.resolve("conf") + "," + home.resolve("plugins")
                + (demo && Files.isDirectory(home.resolve("demo/conf")) ? "," + home.resolve("demo/conf") : ""));
        c.put("felix.fileinstall.poll", "1000");
        c.put("felix.fileinstall.noInitialDelay", "true");
        c.put("felix.fileinstall.log.level", "2");
        // conf/ belongs to the administrator: configuration changed at runtime is not written back into it.
        c.put("felix.fileinstall.enableConfigSave", "false");
        c.put("felix.fileinstall.bundles.startActivationPolicy", "false");
        // slf4j and logback live on the launcher's class path; H2 and HikariCP import the 1.7 range.
        c.put("org.osgi.framework.system.packages.extra", "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
                + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,"
                + "org.slf4j;version=1.7.36,org.slf4j.spi;version=1.7.36,org.slf4j.helpers;version=1.7.36");
        c.put("usblogd.home", home.toString());
        c.put("usblogd.state", state.toString());
        c.put("usblogd.demo", Boolean.toString(demo));
        return c;
    }
}
