package org.usblogd.api.store;

/**
 * What an output has not forwarded yet.
 *
 * @param samples committed samples after the output's cursors
 * @param oldestMicros the time of the oldest of them, or {@link Long#MIN_VALUE} when there are none
 * @param events committed events after the output's event cursor
 */
public record Backlog(long samples, long oldestMicros, long events) {
}
