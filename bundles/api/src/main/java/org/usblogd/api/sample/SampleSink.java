package org.usblogd.api.sample;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a driver session puts what it decoded. Never blocks on storage: callers are device threads that
 * must keep reading their device.
 */
@ProviderType
public interface SampleSink {

    /**
     * Declares a channel before its first sample; declaring it again as it is is harmless. Declared again in
     * another unit, its samples from then on are stored with the new unit, and those stored before keep theirs.
     */
    void declare(Channel channel);

    /**
     * Declares {@code channel} as {@link #declare(Channel)} does and returns its own sink. Drivers that
     * deliver many samples a second take one per channel when the session opens and put samples through it:
     * the channel is then resolved once (its renaming, whether it is off, where it is stored) instead of by
     * name at every sample, and a run of readings decoded from one transfer is handed over in one call, which
     * the store keeps whole. Declared again in another unit, the channel's sinks taken before store with the
     * new unit too.
     *
     * <p>The default implementation, for sinks that know nothing better, passes every sample to
     * {@link #accept(String, long, double)}.
     *
     * @since 1.2
     */
    default ChannelSink channel(Channel channel) {
        declare(channel);
        String name = channel.name();
        return (timeMicros, value) -> accept(name, timeMicros, value);
    }

    /**
     * One sample by its channel's name: enough for a driver that reads a few samples a second; one that reads
     * more uses {@link #channel(Channel)}.
     *
     * @param channel a declared channel's name; samples of undeclared channels are counted and dropped
     * @param timeMicros microseconds since the epoch, UTC
     */
    void accept(String channel, long timeMicros, double value);

    /** Records something worth knowing that is not a sample: a fault reported by the device, dropped data. */
    void event(String kind, String message);

    /**
     * The time to stamp a sample read now, in microseconds since the epoch. The core's sinks follow the wall
     * clock but never run backwards: after the wall clock steps back they advance at half speed until the
     * wall clock has caught up, so a device's samples stay in order through NTP corrections and hand-set
     * dates. Drivers stamp host-timed samples with this rather than {@link #nowMicros()}.
     *
     * @since 1.1
     */
    default long now() {
        return nowMicros();
    }

    /** The wall clock, in the resolution samples carry; may step back. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
