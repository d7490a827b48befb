package org.usblogd.api.store;

/**
 * One bucket of a downsampled tier: the samples of a channel in [time, time + the tier's length).
 *
 * @param timeMicros the bucket's start, microseconds since the epoch (UTC)
 */
public record StoredSummary(long timeMicros, String device, String channel, double min, double max, double mean,
        long count, String unit) {
}
