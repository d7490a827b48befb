package org.usblogd.api.usb;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the user configured for one device ({@code conf/org.usblogd.device-NAME.cfg}, applied while the
 * daemon runs): keys as written in the file. The core itself applies {@code enabled} and the
 * {@code channel.*} renames; drivers read what concerns them, at least {@link #pollMillis}.
 */
public record DeviceSettings(Map<String, String> values) {
    public static final DeviceSettings NONE = new DeviceSettings(Map.of());
    public static final String POLL_MS = "poll.ms";

    public DeviceSettings {
        values = Map.copyOf(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The configured poll interval ({@value #POLL_MS}), or the driver's own default; at least 10 ms. */
    public long pollMillis(long driverDefault) {
        return get(POLL_MS).map(v -> {
            try {
                return Math.max(10, Long.parseLong(v));
            } catch (NumberFormatException e) {
                return driverDefault;
            }
        }).orElse(driverDefault);
    }

    /** The keys under a prefix, without it: {@code under("query.")}. Sorted, so numbered entries keep order. */
    public Map<String, String> under(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
