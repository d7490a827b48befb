package org.usblogd.dist.stopfault;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The activator of a test bundle that reports a burst of errors through the OSGi log service as it stops, the
 * way Declarative Services reports components that fail to deactivate. Packed into a jar by the test that uses
 * it, among the daemon's own bundles and installed right after the log service, so that it stops right before it.
 */
public class LogsAtStop implements BundleActivator {
    /** How many errors it reports. */
    public static final int REPORTS = 300;
    /** What each says, followed by its number. */
    public static final String MESSAGE = "reported at stop, number ";

    @Override
    public void start(BundleContext context) {
        // nothing: the stop is what is tested
    }

    @Override
    public void stop(BundleContext context) {
        ServiceReference<LoggerFactory> ref = context.getServiceReference(LoggerFactory.class);
        if (ref == null) {
            throw new IllegalStateException("no OSGi log service to report through");
        }
        Logger log = context.getService(ref).getLogger(LogsAtStop.class);
        for (int i = 1; i <= REPORTS; i++) {
            log.error(MESSAGE + i);
        }
        context.ungetService(ref);
    }
}
