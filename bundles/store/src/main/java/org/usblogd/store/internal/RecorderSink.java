package org.usblogd.store.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;

/**
 * The sink of one device: resolves channels to their declarations and appends their samples to the device's
 * feed. A channel's sink ({@link #channel}) resolves it once; by name, each sample is looked up.
 */
final class RecorderSink implements SampleSink {
    /** A channel's current declaration: a channel declared again in another unit gets a new one. */
    private static final class Declared {
        volatile ChannelRef ref;

        Declared(ChannelRef ref) {
            this.ref = ref;
        }
    }

    private final String deviceKey;
    private final StoreWriter writer;
    private final DeviceFeed feed;
    private final Map<String, Declared> channels = new ConcurrentHashMap<>();
    private final AtomicLong undeclared = new AtomicLong();

    RecorderSink(String deviceKey, StoreWriter writer) {
        this.deviceKey = deviceKey;
        this.writer = writer;
        this.feed = writer.feed(deviceKey);
    }

    /**
     * A channel declared again as it was changes nothing; declared in another unit (its settings changed),
     * its samples from now on are stored with the new unit, and those before keep theirs.
     */
    @Override
    public void declare(Channel channel) {
        declared(channel);
    }

    private Declared declared(Channel channel) {
        return channels.compute(channel.name(), (n, old) -> {
            if (old != null && old.ref.channel.equals(channel)) {
                return old;
            }
            ChannelRef ref = new ChannelRef(deviceKey, channel);
            writer.declare(ref);
            if (old == null) {
                return new Declared(ref);
            }
            old.ref = ref;
            return old;
        });
    }

    /** The channel's samples go to its current declaration without a lookup by name. */
    @Override
    public ChannelSink channel(Channel channel) {
        Declared d = declared(channel);
        return new ChannelSink() {
            @Override
            public void accept(long timeMicros, double value) {
                feed.append(d.ref, timeMicros, value);
            }

            @Override
            public void accept(long[] timesMicros, double[] values, int offset, int length) {
                Objects.checkFromIndexSize(offset, length, timesMicros.length);
                Objects.checkFromIndexSize(offset, length, values.length);
                feed.append(d.ref, timesMicros, values, offset, length);
            }
        };
    }

    @Override
    public void accept(String channel, long timeMicros, double value) {
        Declared d = channels.get(channel);
        if (d == null) {
            if (undeclared.getAndIncrement() == 0) {
                event("sample.undeclared", "samples of undeclared channel '" + channel + "' are dropped");
            }
            return;
        }
        feed.append(d.ref, timeMicros, value);
    }

    @Override
    public void event(String kind, String message) {
        writer.event(deviceKey, kind, message);
    }
}
