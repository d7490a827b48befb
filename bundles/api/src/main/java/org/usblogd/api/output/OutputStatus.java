package org.usblogd.api.output;

/**
 * How one output fares.
 *
 * @param name the output's name: {@code NAME} of {@code conf/org.usblogd.output-NAME.cfg}
 * @param type {@code postgresql}
 * @param target where it forwards to, without credentials
 * @param connected whether its last attempt reached the peer and committed there
 * @param backlogSamples committed samples not forwarded yet
 * @param backlogOldestMicros the time of the oldest of them, or {@link Long#MIN_VALUE} when there are none
 * @param backlogEvents committed events not forwarded yet
 * @param forwardedSamples samples the peer committed since the output started (a replay after a crash counts
 *            again)
 * @param forwardedEvents events the peer committed since the output started
 * @param lastError the last failure, or null when none since the output started
 * @param lastErrorMicros when it happened, or {@link Long#MIN_VALUE}
 */
public record OutputStatus(String name, String type, String target, boolean connected, long backlogSamples,
        long backlogOldestMicros, long backlogEvents, long forwardedSamples, long forwardedEvents, String lastError,
        long lastErrorMicros) {
}
