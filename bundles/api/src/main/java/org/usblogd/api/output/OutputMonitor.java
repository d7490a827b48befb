package org.usblogd.api.output;

import org.osgi.annotation.versioning.ProviderType;

/** One configured output, registered as a service while its file is in {@code conf/}. */
@ProviderType
public interface OutputMonitor {
    /** Answers at once, from what the output's thread last found; never waits for the peer. */
    OutputStatus status();
}
