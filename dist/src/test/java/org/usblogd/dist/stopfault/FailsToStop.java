package org.usblogd.dist.stopfault;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a test bundle that starts and then fails to stop, so that the framework itself reports an
 * error at the daemon's stop (as Felix's Jetty sometimes did). Packed into a jar by the test that uses it.
 */
public class FailsToStop implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        // nothing: starting is not the fault
    }

    @Override
    public void stop(BundleContext context) {
        throw new IllegalStateException("this test bundle fails to stop on purpose");
    }
}
