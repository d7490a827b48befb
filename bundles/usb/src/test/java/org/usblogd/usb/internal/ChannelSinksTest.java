package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceSettings;

/** Channels' sinks through a session's sink and the user's channel names, as the core chains them. */
class ChannelSinksTest {
    private static final Channel HUMIDITY = new Channel("humidity", "%RH", "relative humidity");
    private static final Channel DEBUG = new Channel("debug", "1", "debug counter");

    private final AtomicLong wall = new AtomicLong(1_800_000_000_000_000L);
    private final AtomicLong mono = new AtomicLong(5_000_000_000L);
    private final DeviceTime time = new DeviceTime(wall::get, mono::get);
    private final StaleWatch watch = new StaleWatch(mono::get);
    private final Target target = new Target();

    /** What reaches the store: declarations, samples by channel, batches and events. */
    private static final class Target implements SampleSink {
        final List<String> declared = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
        final List<String> batches = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void declare(Channel channel) {
            declared.add(channel.name() + " " + channel.unit());
        }

        @Override
        public ChannelSink channel(Channel channel) {
            declare(channel);
            String name = channel.name();
            return new ChannelSink() {
                @Override
                public void accept(long timeMicros, double value) {
                    Target.this.accept(name, timeMicros, value);
                }

                @Override
                public void accept(long[] timesMicros, double[] values, int offset, int length) {
                    batches.add(name + " " + length);
                    for (int i = offset; i < offset + length; i++) {
                        Target.this.accept(name, timesMicros[i], values[i]);
                    }
                }
            };
        }

        @Override
        public void accept(String channel, long timeMicros, double value) {
            samples.add(channel + " " + timeMicros + " " + value);
        }

        @Override
        public void event(String kind, String message) {
            events.add(kind);
        }
    }

    @Test
    void aBatchInOrderReachesTheStoreAsOneBatchAndTheStaleWatchCountsEachSample() {
        SessionSink sink = new SessionSink("d", target, time, watch);
        ChannelSink humidity = sink.channel(HUMIDITY);

        humidity.accept(new long[] { 0, 100, 200, 300, 0 }, new double[] { 0, 41, 42, 43, 0 }, 1, 3);

        assertThat(target.batches).containsExactly("humidity 3");
        assertThat(target.samples).containsExactly("humidity 100 41.0", "humidity 200 42.0", "humidity 300 43.0");
        assertThat(watch.deliveries()).isEqualTo(3);
        assertThat(target.events).isEmpty();
    }

    @Test
    void aBatchWhoseTimesGoBackwardsIsStampedForwardLikeSingleSamplesAndSaidOnce() {
        SessionSink sink = new SessionSink("d", target, time, watch);
        ChannelSink humidity = sink.channel(HUMIDITY);
        long[] times = { 1_000, 900, 1_000, 2_000, 1_500 };

        humidity.accept(times, new double[] { 1, 2, 3, 4, 5 }, 0, 5);
        humidity.accept(1_900, 6);
        sink.accept("humidity", 10, 7);
        humidity.accept(new long[] { 5 }, new double[] { 8 }, 0, 1);

        assertThat(target.samples).containsExactly("humidity 1000 1.0", "humidity 1001 2.0", "humidity 1002 3.0",
                "humidity 2000 4.0", "humidity 2001 5.0", "humidity 2002 6.0", "humidity 2003 7.0",
                "humidity 2004 8.0");
        assertThat(times).as("the caller's array as it was").containsExactly(1_000, 900, 1_000, 2_000, 1_500);
        assertThat(target.events).containsExactly("time.adjusted");
        assertThat(watch.deliveries()).isEqualTo(8);
    }

    @Test
    void aClosedSessionsChannelSinksRefuseSinglesAndBatches() {
        SessionSink sink = new SessionSink("d", target, time, watch);
        ChannelSink humidity = sink.channel(HUMIDITY);
        humidity.accept(1_000, 40);

        sink.close();
        humidity.accept(2_000, 41);
        humidity.accept(new long[] { 3_000, 4_000 }, new double[] { 42, 43 }, 0, 2);
        sink.channel(DEBUG).accept(5_000, 1);

        assertThat(target.samples).containsExactly("humidity 1000 40.0");
        assertThat(target.declared).as("nothing declared after the close").containsExactly("humidity %RH");
        assertThat(watch.deliveries()).isEqualTo(1);
    }

    @Test
    void renamedAndOffChannelsAreResolvedOnceForTheirSinks() {
        SampleSink mapped = ChannelMap.wrap(target, new DeviceSettings(Map.of("channel.humidity", " room_rh ",
                "channel.debug", "off")));
        SessionSink sink = new SessionSink("d", mapped, time, watch);
        ChannelSink humidity = sink.channel(HUMIDITY);
        ChannelSink debug = sink.channel(DEBUG);

        humidity.accept(new long[] { 100, 200 }, new double[] { 41, 42 }, 0, 2);
        humidity.accept(300, 43);
        debug.accept(new long[] { 100, 200 }, new double[] { 1, 2 }, 0, 2);
        debug.accept(300, 3);
        sink.accept("humidity", 400, 44);
        sink.accept("debug", 400, 4);

        assertThat(target.declared).containsExactly("room_rh %RH");
        assertThat(target.samples).containsExactly("room_rh 100 41.0", "room_rh 200 42.0", "room_rh 300 43.0",
                "room_rh 400 44.0");
        assertThat(target.batches).containsExactly("room_rh 2");
        assertThat(watch.deliveries()).as("an off channel still shows the device delivers").isEqualTo(8);
    }
}
