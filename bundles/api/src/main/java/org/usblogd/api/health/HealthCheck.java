package org.usblogd.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the daemon that must keep making progress: the store writer, the device manager, the USB event
 * threads. Registered as a service with the property {@value #PART} naming the part; the watchdog asks
 * every one of them on each tick and stops systemd's keep-alives when one is unhealthy, or not idle and
 * without progress for too long.
 */
@ConsumerType
public interface HealthCheck {
    /** Service property: the part's name as STATUS and the log show it ({@code store-writer}). */
    String PART = "usblogd.health";

    /** Called on the watchdog's thread: must answer at once, without waiting for the part's own thread. */
    Health health();
}
