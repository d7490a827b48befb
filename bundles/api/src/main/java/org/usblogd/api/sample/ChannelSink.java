package org.usblogd.api.sample;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One declared channel of a session's sink, from {@link SampleSink#channel(Channel)}. A driver that decodes
 * many readings a second keeps one per channel: the sink has then resolved the channel once rather than by
 * name at every sample, and a run of readings decoded from one transfer goes through in one call.
 *
 * <p>Used by the thread of its session, as the sink it came from; closed with that sink's session, after
 * which it refuses what it is given.
 *
 * @since 1.2
 */
@ProviderType
public interface ChannelSink {

    /**
     * One sample of this channel.
     *
     * @param timeMicros microseconds since the epoch, UTC
     */
    void accept(long timeMicros, double value);

    /**
     * {@code length} samples of this channel, oldest first: {@code timesMicros[offset + i]} is the time of
     * {@code values[offset + i]}. Stored as the same samples given one by one would be. The arrays stay the
     * caller's: what is needed is copied before the call returns, so the caller may refill them at once.
     *
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within both arrays
     */
    default void accept(long[] timesMicros, double[] values, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, timesMicros.length);
        Objects.checkFromIndexSize(offset, length, values.length);
        for (int i = offset; i < offset + length; i++) {
            accept(timesMicros[i], values[i]);
        }
    }
}
