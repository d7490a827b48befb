package org.usblogd.api.store;

/** One sample as read back, with its device key and the unit its channel had when it was recorded. */
public record StoredSample(long timeMicros, String device, String channel, double value, String unit) {
}
