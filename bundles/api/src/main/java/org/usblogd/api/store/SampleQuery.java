package org.usblogd.api.store;

import java.time.Instant;

/**
 * Which samples to read; null fields do not restrict.
 *
 * @param device a device key as shown by {@code usblogd devices}
 * @param from inclusive
 * @param to exclusive
 */
public record SampleQuery(String device, String channel, Instant from, Instant to) {

    public static SampleQuery all() {
        return new SampleQuery(null, null, null, null);
    }
}
