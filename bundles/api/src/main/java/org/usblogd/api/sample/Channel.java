package org.usblogd.api.sample;

import java.util.Objects;

/**
 * A named stream of values from one device.
 *
 * @param name unique per device, e.g. "co2"
 * @param unit unit symbol of every value, e.g. "ppm", "°C", "%RH", "V"
 * @param quantity what is measured, e.g. "carbon dioxide", "temperature"
 */
public record Channel(String name, String unit, String quantity) {

    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (name.isBlank()) {
            throw new IllegalArgumentException("channel name is blank");
        }
    }
}
