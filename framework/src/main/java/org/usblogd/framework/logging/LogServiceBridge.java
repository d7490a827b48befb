package org.usblogd.framework.logging;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
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
 */
public final class LogServiceBridge implements LogListener,
        ServiceTrackerCustomizer<LogReaderService, LogReaderService> {
    private final BundleContext context;
    private final ServiceTracker<LogReaderService, LogReaderService> tracker;

    public LogServiceBridge(BundleContext systemContext) {
        this.context = systemContext;
        this.tracker = new ServiceTracker<>(systemContext, LogReaderService.class, this);
    }

    public void open() {
        tracker.open();
    }

    /** Stops listening; safe once the framework has stopped. */
    public void close() {
        tracker.close();
    }

    @Override
    public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
        LogReaderService reader = context.getService(reference);
        if (reader != null) {
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
