package org.usblogd.store.internal;

import java.time.Duration;
import java.time.Instant;

import org.osgi.framework.BundleContext;
import org.usblogd.api.status.Status;

/**
 * The daemon this store runs in, as {@code usblogd status} shows a running daemon: this process's pid and
 * start, and the version the launcher says it runs.
 */
final class RunningHere {
    /** Framework property the launcher sets to the version it runs from its jar; absent otherwise. */
    static final String VERSION_PROPERTY = "usblogd.version";

    private RunningHere() {
    }

    static Status.Daemon daemon(BundleContext context, String stateDirectory) {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(null);
        return new Status.Daemon(true, stateDirectory, self.pid(), context.getProperty(VERSION_PROPERTY),
                started == null ? null : started.toString(),
                started == null ? null : Duration.between(started, Instant.now()).toSeconds());
    }
}
