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
 * Felix's Jetty; without a log service each prints to stdout, a stack trace as a hundred unprefixed lines) as
 * the daemon's log lines, named after the bundle that reported. The framework's own events (a bundle started, a
 * service registered) are left out: the framework reports its errors itself ({@link FrameworkLog}). Opened on
 * the system bundle's context before any bundle starts, so it listens from the log service's first entry.
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
        String message = String.valueOf(entry.getMessage());
        Throwable exception = entry.getException();
        switch (entry.getLogLevel()) {
            case ERROR -> log.error(message, exception);
            case WARN -> log.warn(message, exception);
            case AUDIT, INFO -> log.info(message, exception);
            default -> log.debug(message, exception);
        }
    }

    private static String source(Bundle bundle) {
        String name = bundle == null ? null : bundle.getSymbolicName();
        return name == null ? "osgi" : name;
    }
}
