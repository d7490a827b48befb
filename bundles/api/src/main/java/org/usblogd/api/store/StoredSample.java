package org.usblogd.api.store;

/** One sample as read back, with its device key and channel unit resolved. */
public record StoredSample(long timeMicros, String device, String channel, double value, String unit) {
}
