package org.usblogd.api.config;

import java.util.List;

/**
 * What a driver would record from one trial input: the samples, with their units, and each value it would
 * drop with the reason (no number, outside the configured range); nothing at all when the input does not
 * fit, with {@code unread} saying why.
 *
 * @param samples what would be stored, in the order the driver finds it
 * @param dropped one line per value found and dropped
 * @param unread why nothing could be read from the input, or null when it could
 */
public record ConfigTrial(List<Sample> samples, List<String> dropped, String unread) {
    public ConfigTrial {
        samples = List.copyOf(samples);
        dropped = List.copyOf(dropped);
    }

    /** One value as it would be stored. */
    public record Sample(String channel, double value, String unit) {
    }
}
