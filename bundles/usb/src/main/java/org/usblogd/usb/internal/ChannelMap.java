package org.usblogd.usb.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceSettings;

/**
 * The user's channel names ({@code channel.humidity = room_rh}, {@code channel.debug = off}) laid over a
 * driver's, between its session and the store, so that no driver needs to know about renaming. A channel's
 * sink is renamed, or made one that keeps nothing, once when the driver asks for it.
 */
final class ChannelMap {
    static final String OFF = "off";
    /** The sink of a channel that is off: what it is given goes nowhere. */
    private static final ChannelSink NOWHERE = new ChannelSink() {
        @Override
        public void accept(long timeMicros, double value) {
        }

        @Override
        public void accept(long[] timesMicros, double[] values, int offset, int length) {
        }
    };

    private ChannelMap() {
    }

    static SampleSink wrap(SampleSink sink, DeviceSettings settings) {
        Map<String, String> names = settings.under("channel.");
        if (names.isEmpty()) {
            return sink;
        }
        Map<String, String> resolved = new ConcurrentHashMap<>();
        return new SampleSink() {
            private String name(String driverName) {
                return resolved.computeIfAbsent(driverName, n -> {
                    String to = names.get(n);
                    return to == null || to.isBlank() ? n : to.strip();
                });
            }

            @Override
            public void declare(Channel channel) {
                String to = name(channel.name());
                if (!OFF.equals(to)) {
                    sink.declare(new Channel(to, channel.unit(), channel.quantity()));
                }
            }

            @Override
            public ChannelSink channel(Channel channel) {
                String to = name(channel.name());
                return OFF.equals(to) ? NOWHERE : sink.channel(new Channel(to, channel.unit(), channel.quantity()));
            }

            @Override
            public void accept(String channel, long timeMicros, double value) {
                String to = name(channel);
                if (!OFF.equals(to)) {
                    sink.accept(to, timeMicros, value);
                }
            }

            @Override
            public void event(String kind, String message) {
                sink.event(kind, message);
            }
        };
    }
}
