package org.usblogd.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How long each tier is kept, in days (0: for ever), with raw-sample overrides per device or channel, and
 * a budget for the samples' bytes in the database (0: none). Raw samples are only ever removed once their
 * minutes are summarised, and minute summaries once their hours are.
 */
record RetentionPolicy(long rawDays, long minuteDays, long hourDays, long budgetBytes, List<Override> overrides) {

    /** {@code device} or {@code device/channel}, and its raw days. */
    record Override(String device, String channel, long rawDays) {
    }

    /**
     * Reads {@code retention.raw.overrides = 2e3c:5558@1-8 2, 04d9:a052:ABC/co2 30} (a selector and days,
     * comma-separated): a device's own line beats the general days, a channel's beats its device's.
     */
    static List<Override> parseOverrides(String text) {
        List<Override> result = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return result;
        }
        for (String item : text.split(",")) {
            String[] parts = item.strip().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("retention.raw.overrides: '" + item.strip()
                        + "' is not 'DEVICE[/CHANNEL] DAYS'");
            }
            long days;
            try {
                days = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("retention.raw.overrides: '" + parts[1] + "' is not a number of days");
            }
            int slash = parts[0].indexOf('/');
            result.add(slash < 0 ? new Override(parts[0], null, days)
                    : new Override(parts[0].substring(0, slash), parts[0].substring(slash + 1), days));
        }
        return result;
    }

    /** Raw days for a channel: its own override, else its device's, else the general one. */
    long rawDays(String device, String channel) {
        Long forDevice = null;
        for (Override o : overrides) {
            if (o.device().equals(device)) {
                if (channel.equals(o.channel())) {
                    return o.rawDays();
                }
                if (o.channel() == null) {
                    forDevice = o.rawDays();
                }
            }
        }
        return forDevice != null ? forDevice : rawDays;
    }

}
