package org.usblogd.api.store;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/** The read side of the store: what the CLI, export and (later) the HTTP API use. */
@ProviderType
public interface SampleStore {

    /** Streams matching samples to {@code out} in time order per channel, without loading them all. */
    long samples(SampleQuery query, Consumer<StoredSample> out) throws StoreException;

    /**
     * Streams the per-minute or per-hour summaries of matching channels in time order, without loading them
     * all. Buckets are there once they are over and a couple of minutes have passed.
     */
    long summaries(SampleQuery query, Tier tier, Consumer<StoredSummary> out) throws StoreException;

    List<DeviceRecord> devices() throws StoreException;
}
