package org.usblogd.store.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;

/** The sink of one device: resolves channel names to their declarations and queues samples for the writer. */
final class RecorderSink implements SampleSink {
    private final String deviceKey;
    private final StoreWriter writer;
    private final Map<String, ChannelRef> channels = new ConcurrentHashMap<>();
    private final AtomicLong undeclared = new AtomicLong();

    RecorderSink(String deviceKey, StoreWriter writer) {
        this.deviceKey = deviceKey;
        this.writer = writer;
    }

    /**
     * A channel declared again as it was changes nothing; declared in another unit (its settings changed),
     * its samples from now on are stored with the new unit, and those before keep theirs.
     */
    @Override
    public void declare(Channel channel) {
        channels.compute(channel.name(), (n, old) -> {
            if (old != null && old.channel.equals(channel)) {
                return old;
            }
            ChannelRef ref = new ChannelRef(deviceKey, channel);
            writer.declare(ref);
            return ref;
        });
    }

    @Override
    public void accept(String channel, long timeMicros, double value) {
        ChannelRef ref = channels.get(channel);
        if (ref == null) {
            if (undeclared.getAndIncrement() == 0) {
                event("sample.undeclared", "samples of undeclared channel '" + channel + "' are dropped");
            }
            return;
        }
        writer.offer(new StoreOp.Sample(ref, timeMicros, value));
    }

    @Override
    public void event(String kind, String message) {
        writer.event(deviceKey, kind, message);
    }
}
