package org.usblogd.framework.logging;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What bundles report through the OSGi log service (Declarative Services, Configuration Admin, FileInstall,
 * Felix's Jetty; without a log service each prints to stdout or stderr, a stack trace as a hundred unprefixed
 * lines) as the daemon's log lines, named after the bundle that reported, the innermost cause on the line
 * itself. The framework's events as the log service records them (a bundle started, a service registered) are
 * left out: Felix logs most of its errors itself ({@link FrameworkLog}); the few it only sends as events (a
 * failed restart in a refresh, a service factory that throws) go unlogged here, as they did before. Opened
 * on the system bundle's context before any bundle starts, so it listens from the log service's first entry.
 * <p>
 * The log service hands entries to its listeners on a thread of its own, and when it stops it drops what
 * that thread has not delivered yet: the reports of the bundles that stopped just before it. So as it begins
 * to stop, the bridge reports one entry of its own through it and waits until that has come through (entries
 * are delivered in order), then lets it stop.
 */
public final class LogServiceBridge implements LogListener, SynchronousBundleListener,
        ServiceTrackerCustomizer<LogReaderService, LogReaderService> {
    /** The logger name of the bridge's own entry, which is never logged. */
    private static final String DRAIN_MARK = LogServiceBridge.class.getName() + ".drained";
    /** Long enough for a backlog of thousands of lines, short enough not to hold up a stop for long. */
    private static final long DRAIN_WAIT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(LogServiceBridge.class);

    private final BundleContext context;
    private final ServiceTracker<LogReaderService, LogReaderService> tracker;
    /** The bundle whose log service is listened to; null while there is none. */
    private volatile Bundle logServiceBundle;
    private final AtomicLong drains = new AtomicLong();
    private volatile Drain pending;

    public LogServiceBridge(BundleContext systemContext) {
        this.context = systemContext;
        this.tracker = new ServiceTracker<>(systemContext, LogReaderService.class, this);
    }

    public void open() {
        context.addBundleListener(this);
        tracker.open();
    }

    /** Stops listening; safe once the framework has stopped. */
    public void close() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException e) {
            // the framework is gone already, and the listener with it
        }
        tracker.close();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().equals(logServiceBundle)) {
            drain();
        }
    }

    /** Waits until what the log service has queued for its listeners has been logged. */
    private void drain() {
        Bundle bundle = logServiceBundle;
        if (bundle == null) {
            return;
        }
        Drain drain = new Drain("drained " + drains.incrementAndGet());
        pending = drain;
        try {
            // the logger of the bundle that stops, not another log service's, whose thread says nothing of this one's
            var refs = context.getServiceReferences(org.osgi.service.log.LoggerFactory.class,
                    "(" + Constants.SERVICE_BUNDLEID + "=" + bundle.getBundleId() + ")");
            if (refs.isEmpty()) {
                return;
            }
            ServiceReference<org.osgi.service.log.LoggerFactory> ref = refs.iterator().next();
            org.osgi.service.log.LoggerFactory factory = context.getService(ref);
            if (factory == null) {
                return;
            }
            try {
                factory.getLogger(DRAIN_MARK).audit(drain.token());
            } finally {
                context.ungetService(ref);
            }
            if (!drain.done().await(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the OSGi log service did not deliver its last entries within {} ms of its stop; what"
                        + " bundles reported just before it may be missing from this log", DRAIN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException | InvalidSyntaxException e) {
            // the framework is stopping under us: nothing more to wait for
        } finally {
            pending = null;
        }
    }

    /** One wait for the log service's thread: the entry it waits for, and the signal that it came through. */
    private record Drain(String token, CountDownLatch done) {
        Drain(String token) {
            this(token, new CountDownLatch(1));
        }
    }

    @Override
    public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
        LogReaderService reader = context.getService(reference);
        if (reader != null) {
            logServiceBundle = reference.getBundle();
            reader.addLogListener(this);
        }
        return reader;
    }

    @Override
    public void modifiedService(ServiceReference<LogReaderService> reference, LogReaderService reader) {
        // nothing a listener depends on
    }

    @Override
    public void removedService(ServiceReference<LogReaderService> reference, LogReaderService reader) {
        if (reference.getBundle() == null || reference.getBundle().equals(logServiceBundle)) {
            logServiceBundle = null;
        }
        try {
            reader.removeLogListener(this);
            context.ungetService(reference);
        } catch (IllegalStateException e) {
            // the framework is gone already, and the listener with it
        }
    }

    @Override
    public void logged(LogEntry entry) {
        String name = entry.getLoggerName();
        if (DRAIN_MARK.equals(name)) {
            Drain drain = pending;
            if (drain != null && drain.token().equals(entry.getMessage())) {
                drain.done().countDown();
            }
            return;
        }
        if (name != null && name.startsWith("Events.")) {
            return;
        }
        Logger log = LoggerFactory.getLogger(source(entry.getBundle()));
        Throwable exception = entry.getException();
        String message = exception == null ? String.valueOf(entry.getMessage())
                : entry.getMessage() + ": " + innermost(exception);
        switch (entry.getLogLevel()) {
            case ERROR -> log.error(message, exception);
            case WARN -> log.warn(message, exception);
            case AUDIT, INFO -> log.info(message, exception);
            default -> log.debug(message, exception);
        }
    }

    /**
     * What went wrong at the bottom: the log service hands exceptions over wrapped (so that a log entry keeps
     * no bundle's classes), "LogException: InvocationTargetException" on top, the driver's own cause beneath.
     */
    private static String innermost(Throwable exception) {
        Throwable t = exception;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        // a wrapper's message is the wrapped exception's class and message, as toString() gives them
        return t.getClass().getName().startsWith("org.apache.felix.log.") ? t.getMessage() : t.toString();
    }

    private static String source(Bundle bundle) {
        String name = bundle == null ? null : bundle.getSymbolicName();
        return name == null ? "osgi" : name;
    }
}
