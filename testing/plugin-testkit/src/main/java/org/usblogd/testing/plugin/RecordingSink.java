package org.usblogd.testing.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;

/**
 * A sink that keeps what a session gave it, with a clock the test sets. Samples given through a channel's
 * sink are kept as the same samples given by name would be; each batch is also kept as a {@link Batch}, so
 * that a test can tell how they arrived.
 */
public final class RecordingSink implements SampleSink {
    public record Sample(String channel, long timeMicros, double value) {
    }

    public record Event(String kind, String message) {
    }

    /** One call with many samples of a channel. */
    public record Batch(String channel, int length) {
    }

    public final List<Channel> channels = new ArrayList<>();
    public final List<Sample> samples = new ArrayList<>();
    public final List<Event> events = new ArrayList<>();
    public final List<Batch> batches = new ArrayList<>();
    /** A clock of its own, a millisecond further at each call, unless the test sets one. */
    private LongSupplier clock = new LongSupplier() {
        private long t = 1_780_000_000_000_000L;

        @Override
        public long getAsLong() {
            return t += 1_000;
        }
    };

    /** Makes {@link #now()} answer from {@code clock}. */
    public RecordingSink clock(LongSupplier clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public void declare(Channel channel) {
        channels.add(channel);
    }

    @Override
    public ChannelSink channel(Channel channel) {
        declare(channel);
        String name = channel.name();
        return new ChannelSink() {
            @Override
            public void accept(long timeMicros, double value) {
                RecordingSink.this.accept(name, timeMicros, value);
            }

            @Override
            public void accept(long[] timesMicros, double[] values, int offset, int length) {
                Objects.checkFromIndexSize(offset, length, timesMicros.length);
                Objects.checkFromIndexSize(offset, length, values.length);
                batches.add(new Batch(name, length));
                for (int i = offset; i < offset + length; i++) {
                    RecordingSink.this.accept(name, timesMicros[i], values[i]);
                }
            }
        };
    }

    @Override
    public void accept(String channel, long timeMicros, double value) {
        samples.add(new Sample(channel, timeMicros, value));
    }

    @Override
    public void event(String kind, String message) {
        events.add(new Event(kind, message));
    }

    @Override
    public long now() {
        return clock.getAsLong();
    }

    public List<Sample> samples(String channel) {
        return samples.stream().filter(s -> s.channel().equals(channel)).toList();
    }

    public List<Long> times(String channel) {
        return samples(channel).stream().map(Sample::timeMicros).toList();
    }

    /** The lengths of the batches of {@code channel}, in the order they came. */
    public List<Integer> batches(String channel) {
        return batches.stream().filter(b -> b.channel().equals(channel)).map(Batch::length).toList();
    }

    public List<String> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).map(Event::message).toList();
    }
}
