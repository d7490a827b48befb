package org.usblogd.api.store;

/**
 * A channel as an output reads it: a device's channel in one unit (a channel declared in another unit is a
 * channel of its own from then on, so the samples before keep theirs).
 *
 * @param id the store's key of the channel, as {@link ForwardSource#advance} takes it
 * @param forwardedMicros the time of the last sample the output forwarded, or {@link Long#MIN_VALUE} for none
 * @param newestMicros the time of the newest committed sample, or {@link Long#MIN_VALUE} for none
 */
public record SourceChannel(long id, String device, String channel, String unit, long forwardedMicros,
        long newestMicros) {

    /** Whether the output has samples of this channel still to forward. */
    public boolean behind() {
        return newestMicros > forwardedMicros;
    }
}
