package org.usblogd.api.health;

import java.util.Map;
import java.util.Objects;

/**
 * One answer of a {@link HealthCheck}.
 *
 * @param healthy false when the part cannot go on by itself (its thread ended, a device stays stale after
 *            every recovery): the daemon should be restarted
 * @param idle true when the part has nothing to do, so no progress is expected (no USB bus)
 * @param progress a counter the part increases while it works; the watchdog only compares successive values
 * @param status one line for systemd's STATUS and the log: what the part is doing, or what is wrong
 * @param figures the part's own counts, by name ({@code samples}, {@code written}, {@code devices}, ...);
 *            values are numbers or strings
 */
public record Health(boolean healthy, boolean idle, long progress, String status, Map<String, Object> figures) {
    public Health {
        Objects.requireNonNull(status, "status");
        figures = Map.copyOf(figures);
    }
}
