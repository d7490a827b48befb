package org.usblogd.framework.systemd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.health.Health;
import org.usblogd.api.health.HealthCheck;

/**
 * Tells systemd how the daemon is: READY=1 once every bundle is active and the store is open, STATUS= with
 * devices and samples per minute, and WATCHDOG=1 only while the store writer, the device manager and the
 * USB event thread all make progress. Each of them is a {@link HealthCheck} service; the launcher provides
 * that package to the framework (Daemon), so it reads them with the bundles' own class.
 */
public final class ServiceWatchdog implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ServiceWatchdog.class);
    static final List<String> REQUIRED = List.of("store-writer", "device-manager");

    private final BundleContext context;
    private final SystemdNotifier notifier;
    private final long tickMs;
    private final long stallMs;
    private final Map<String, Long> lastProgress = new HashMap<>();
    private final Map<String, Long> progressAt = new HashMap<>();
    private final java.util.ArrayDeque<long[]> sampleHistory = new java.util.ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running;
    private boolean ready;
    private String lastProblem;

    public ServiceWatchdog(BundleContext context, SystemdNotifier notifier, long stallMs) {
        this.context = context;
        this.notifier = notifier;
        long watchdog = notifier.watchdogMillis();
        this.tickMs = watchdog > 0 ? Math.max(100, watchdog / 2) : 5_000;
        this.stallMs = Math.max(stallMs, 2 * tickMs);
        this.thread = new Thread(this, "usblogd-watchdog");
        thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    public void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run() {
        while (running) {
            try {
                // the monotonic clock: a wall-clock step must neither look like a stall nor hide one
                tick(System.nanoTime() / 1_000_000);
                Thread.sleep(tickMs);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("watchdog check failed: {}", e.toString());
            }
        }
    }

    void tick(long now) {
        Map<String, Health> health = health();
        String problem = null;
        for (String name : REQUIRED) {
            if (!health.containsKey(name)) {
                problem = name + " is not running";
            }
        }
        for (Map.Entry<String, Health> e : health.entrySet()) {
            Health h = e.getValue();
            long progress = h.progress();
            Long before = lastProgress.put(e.getKey(), progress);
            if (before == null || before != progress) {
                progressAt.put(e.getKey(), now);
            }
            if (!h.healthy()) {
                problem = e.getKey() + ": " + h.status();
            } else if (!h.idle() && now - progressAt.get(e.getKey()) > stallMs) {
                problem = e.getKey() + " made no progress for " + (now - progressAt.get(e.getKey())) + " ms";
            }
        }
        if (!ready && problem == null && allBundlesActive()) {
            ready = true;
            notifier.send("READY=1");
            log.info("ready: every bundle active, store open");
        }
        notifier.send("STATUS=" + status(health, now, problem));
        if (!ready) {
            return;
        }
        if (problem == null) {
            notifier.send("WATCHDOG=1");
            if (lastProblem != null) {
                log.info("healthy again; watchdog keep-alives resumed");
            }
        } else if (!problem.equals(lastProblem)) {
            log.error("unhealthy: {}; watchdog keep-alives stopped, systemd will restart the daemon", problem);
        }
        lastProblem = problem;
    }

    private String status(Map<String, Health> health, long now, String problem) {
        Map<String, Object> manager = figures(health.get("device-manager"));
        Health storeHealth = health.get("store-writer");
        long samples = figures(storeHealth).get("samples") instanceof Number n ? n.longValue() : 0;
        sampleHistory.addLast(new long[] { now, samples });
        while (sampleHistory.size() > 1 && now - sampleHistory.peekFirst()[0] > 60_000) {
            sampleHistory.removeFirst();
        }
        long[] first = sampleHistory.peekFirst();
        double minutes = Math.max(1, now - first[0]) / 60_000.0;
        long perMinute = sampleHistory.size() < 2 ? 0 : Math.round((samples - first[1]) / minutes);
        Object stale = manager.getOrDefault("stale", "");
        return manager.getOrDefault("devices", 0) + " device(s) logging, " + perMinute + " samples/min"
                + (String.valueOf(stale).isEmpty() ? "" : ", stale: " + stale)
                + (storeHealth != null && storeHealth.status().startsWith("store cannot write")
                        ? "; " + storeHealth.status() : "")
                + (problem == null ? "" : "; UNHEALTHY: " + problem);
    }

    private static Map<String, Object> figures(Health health) {
        return health == null ? Map.of() : health.figures();
    }

    private Map<String, Health> health() {
        Map<String, Health> result = new HashMap<>();
        ServiceReference<?>[] refs;
        try {
            // "All": Felix hands the system bundle only services whose every class it shares, and the store is
            // also a SampleRecorder, a class the launcher's class path has a copy of its own of. HealthCheck
            // itself is the one class both sides share.
            refs = context.getAllServiceReferences(HealthCheck.class.getName(), "(" + HealthCheck.PART + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return result;
        }
        for (ServiceReference<?> ref : refs) {
            Object service = context.getService(ref);
            try {
                if (service instanceof HealthCheck check) {
                    result.put(String.valueOf(ref.getProperty(HealthCheck.PART)), check.health());
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return result;
    }

    private boolean allBundlesActive() {
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null
                    && !isPlugin(b)) {
                return false;
            }
        }
        return true;
    }

    /** A broken plugin is reported by the plugin monitor; it must not keep the daemon from being ready. */
    private boolean isPlugin(Bundle b) {
        String home = context.getProperty("usblogd.home");
        return home != null && b.getLocation().contains(java.nio.file.Path.of(home, "plugins").toString());
    }
}
