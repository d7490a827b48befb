package org.usblogd.api.store;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of what the store has just committed: a whiteboard service the store calls on its writer thread
 * right after each commit that added samples or events. It must return at once (hand the data over, never
 * wait for a reader or a socket): every sample of every device waits while it runs.
 */
@ConsumerType
public interface StoreListener {
    /**
     * @param samples the samples this commit added, in time order per channel
     * @param events the events this commit added, in commit order
     */
    void committed(List<StoredSample> samples, List<StoredEvent> events);
}
