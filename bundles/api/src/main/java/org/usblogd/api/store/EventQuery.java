package org.usblogd.api.store;

import java.time.Instant;

/**
 * Which events to read; null fields do not restrict.
 *
 * @param device a device key as shown by {@code usblogd devices}
 * @param kind one kind, such as {@code device.stale}
 * @param since events from this time on
 * @param afterId events committed after this one (0: from the first)
 */
public record EventQuery(String device, String kind, Instant since, long afterId) {
}
