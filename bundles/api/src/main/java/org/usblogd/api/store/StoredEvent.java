package org.usblogd.api.store;

/**
 * One recorded event, as read back or as just committed.
 *
 * @param id its place in the order events were committed (ids only grow)
 * @param device the device's key, or null for events of the daemon itself
 */
public record StoredEvent(long id, long timeMicros, String device, String kind, String message) {
}
