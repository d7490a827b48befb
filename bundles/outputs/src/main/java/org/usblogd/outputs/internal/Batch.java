package org.usblogd.outputs.internal;

import java.util.List;

import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;

/** What one transaction on the peer carries: samples of one or more channels, in time order per channel, and events. */
record Batch(List<StoredSample> samples, List<StoredEvent> events) {
    boolean isEmpty() {
        return samples.isEmpty() && events.isEmpty();
    }
}
