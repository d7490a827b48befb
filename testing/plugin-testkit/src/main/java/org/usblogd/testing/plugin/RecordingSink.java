package org.usblogd.testing.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;

/** A sink that keeps what a session gave it, with a clock the test sets. */
public final class RecordingSink implements SampleSink {
    public record Sample(String channel, long timeMicros, double value) {
    }

    public record Event(String kind, String message) {
    }

    public final List<Channel> channels = new ArrayList<>();
    public final List<Sample> samples = new ArrayList<>();
    public final List<Event> events = new ArrayList<>();
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

    public List<String> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).map(Event::message).toList();
    }
}
