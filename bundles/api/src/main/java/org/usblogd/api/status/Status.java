package org.usblogd.api.status;

import java.util.List;

/**
 * Whether the daemon runs, how its store fares and where each device stands. Times are ISO-8601 in UTC.
 */
public record Status(Daemon daemon, Store store, List<Device> devices) {

    /**
     * The daemon holding the state directory; the other fields are null when none runs, or when they cannot be
     * told.
     */
    public record Daemon(boolean running, String stateDirectory, Long pid, String version, String started,
            Long uptimeSeconds) {
    }

    /**
     * The store: {@code open}, {@code closed} (no daemon), {@code outage} or {@code no database yet}; the
     * figures are null when there is no database (or, for bytes, when it is a server's).
     */
    public record Store(String state, Outage outage, Long bytes, Long samplesLastMinute, Long droppedSinceStart) {
    }

    /** Since when the store cannot write, and why, as its outage file says. */
    public record Outage(String since, String why) {
    }

    /** A device's state, newest sample and that sample's age in seconds (null without samples). */
    public record Device(String device, String state, boolean attached, String lastSample, Double ageSeconds) {
    }
}
