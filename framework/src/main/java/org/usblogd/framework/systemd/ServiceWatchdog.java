package org.usblogd.framework.systemd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the daemon is: READY=1 once every bundle is active and the store is open, STATUS= with
 * devices and samples per minute, and WATCHDOG=1 only while the store writer, the device manager and the
 * USB event thread all make progress. Each of them publishes a {@code Supplier<Map<String, Object>>} service
 * with the property {@code usblogd.health}; java.* types cross the framework boundary, so the launcher can
 * read them without sharing any of the daemon's classes.
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
        Map<String, Map<String, Object>> health = health();
        String problem = null;
        for (String name : REQUIRED) {
            if (!health.containsKey(name)) {
                problem = name + " is not running";
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : health.entrySet()) {
            Map<String, Object> h = e.getValue();
            long progress = h.get("progress") instanceof Number n ? n.longValue() : 0;
            Long before = lastProgress.put(e.getKey(), progress);
            if (before == null || before != progress) {
                progressAt.put(e.getKey(), now);
            }
            if (Boolean.FALSE.equals(h.get("healthy"))) {
                problem = e.getKey() + ": " + h.get("status");
            } else if (!Boolean.TRUE.equals(h.get("idle")) && now - progressAt.get(e.getKey()) > stallMs) {
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

    private String status(Map<String, Map<String, Object>> health, long now, String problem) {
        Map<String, Object> manager = health.getOrDefault("device-manager", Map.of());
        Map<String, Object> store = health.getOrDefault("store-writer", Map.of());
        long samples = store.get("samples") instanceof Number n ? n.longValue() : 0;
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
                + (store.get("status") instanceof String st && st.startsWith("store cannot write") ? "; " + st : "")
                + (problem == null ? "" : "; UNHEALTHY: " + problem);
    }

    private Map<String, Map<String, Object>> health() {
        Map<String, Map<String, Object>> result = new HashMap<>();
        ServiceReference<?>[] refs;
        try {
            // "All": a service that also offers daemon classes (the store) is not class-compatible with the system
            // bundle, and we only call its java.util.function.Supplier side.
            refs = context.getAllServiceReferences(null, "(usblogd.health=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return result;
        }
        for (ServiceReference<?> ref : refs) {
            Object service = context.getService(ref);
            try {
                if (service instanceof Supplier<?> s && s.get() instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new HashMap<>();
                    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    result.put(String.valueOf(ref.getProperty("usblogd.health")), copy);
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
