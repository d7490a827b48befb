package org.usblogd.api.store;

import org.osgi.annotation.versioning.ProviderType;

/** The store writer's figures for monitoring (the HTTP API's {@code /metrics}); provided by the store. */
@ProviderType
public interface StoreMonitor {
    /**
     * Answers at once, without waiting for the writer thread. Each call starts a new span for
     * {@link WriterFigures#commitMaxSeconds()}.
     */
    WriterFigures writerFigures();
}
