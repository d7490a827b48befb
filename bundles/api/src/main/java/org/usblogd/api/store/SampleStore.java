package org.usblogd.api.store;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/** The read side of the store: what the CLI, export and the HTTP API use. */
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

    /** Every device's key with the names of its channels, sorted; cheap: no sample is read. */
    Map<String, List<String>> channelNames() throws StoreException;

    /** Streams matching events in the order they were committed; returns the id of the last, or the query's afterId. */
    long events(EventQuery query, Consumer<StoredEvent> out) throws StoreException;

    /** Every kind of event recorded so far, sorted. */
    List<String> eventKinds() throws StoreException;

    /** How many events of each kind each device has had (device null: the daemon's own), since the store began. */
    List<EventCount> eventCounts() throws StoreException;
}
