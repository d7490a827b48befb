package org.usblogd.api.store;

/**
 * How many events of one kind a device has had since the store began.
 *
 * @param device the device's key, or null for events of the daemon itself (store, plugins, clock)
 */
public record EventCount(String device, String kind, long count) {
}
