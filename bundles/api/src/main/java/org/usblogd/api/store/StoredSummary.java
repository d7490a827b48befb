package org.usblogd.api.store;

/**
 * One bucket of a downsampled tier: the samples of a channel in [time, time + the tier's length) recorded in
 * one unit (a bucket in which the channel's unit changed has a summary per unit).
 *
 * @param timeMicros the bucket's start, microseconds since the epoch (UTC)
 */
public record StoredSummary(long timeMicros, String device, String channel, double min, double max, double mean,
        long count, String unit) {
}
