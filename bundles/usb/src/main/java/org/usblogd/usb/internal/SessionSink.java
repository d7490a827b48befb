package org.usblogd.usb.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;

/**
 * The sink one session writes into, between its driver and the store: it stamps with the device's time
 * that never runs backwards, keeps each channel's times in order, tells the device's stale watch that the
 * device delivers, and is closed when the session ends or is abandoned, so that a hung driver that wakes up
 * later cannot write next to its replacement. A channel's sink ({@link #channel}) does the same with its
 * channel resolved once, and for a batch checks the order in one pass and tells the stale watch once.
 */
final class SessionSink implements SampleSink {
    private static final Logger log = LoggerFactory.getLogger(SessionSink.class);

    private final String device;
    private final SampleSink target;
    private final DeviceTime time;
    private final StaleWatch watch;
    private final Set<String> adjustedChannels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean refusedLogged;

    SessionSink(String device, SampleSink target, DeviceTime time, StaleWatch watch) {
        this.device = device;
        this.target = target;
        this.time = time;
        this.watch = watch;
    }

    @Override
    public long now() {
        return time.now();
    }

    @Override
    public void declare(Channel channel) {
        if (!closed) {
            target.declare(channel);
        }
    }

    @Override
    public ChannelSink channel(Channel channel) {
        ChannelSink to = closed ? null : target.channel(channel);
        return new Stamped(channel.name(), time.order(channel.name()), to);
    }

    @Override
    public void accept(String channel, long timeMicros, double value) {
        if (refused()) {
            return;
        }
        long t = time.stamp(channel, timeMicros);
        if (t != timeMicros) {
            adjusted(channel, timeMicros);
        }
        watch.delivered();
        target.accept(channel, t, value);
    }

    /** Whether the session is over; said once. */
    private boolean refused() {
        if (!closed) {
            return false;
        }
        if (!refusedLogged) {
            refusedLogged = true;
            log.warn("{}: a session that was ended or abandoned still delivers samples; they are not stored", device);
        }
        return true;
    }

    private void adjusted(String channel, long timeMicros) {
        if (adjustedChannels.add(channel)) {
            String message = "channel " + channel + ": a sample time went backwards (" + timeMicros
                    + " µs); such samples are stored a microsecond after the one before";
            log.warn("{}: {}", device, message);
            target.event("time.adjusted", message);
        }
    }

    /** One channel's way through this sink: stamped in order, told to the stale watch, refused once closed. */
    private final class Stamped implements ChannelSink {
        private final String name;
        private final DeviceTime.Order order;
        /** Null when the session was over before the channel was asked for. */
        private final ChannelSink to;

        Stamped(String name, DeviceTime.Order order, ChannelSink to) {
            this.name = name;
            this.order = order;
            this.to = to;
        }

        @Override
        public void accept(long timeMicros, double value) {
            if (refused()) {
                return;
            }
            long t = order.stamp(timeMicros);
            if (t != timeMicros) {
                adjusted(name, timeMicros);
            }
            watch.delivered();
            to.accept(t, value);
        }

        @Override
        public void accept(long[] timesMicros, double[] values, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, timesMicros.length);
            Objects.checkFromIndexSize(offset, length, values.length);
            if (refused() || length == 0) {
                return;
            }
            long[] t = order.stamp(timesMicros, offset, length);
            if (t == timesMicros) {
                watch.delivered(length);
                to.accept(timesMicros, values, offset, length);
                return;
            }
            // some went backwards: the stamped times are a copy from index 0, and so must the values be
            for (int i = 0; i < length; i++) {
                if (t[i] != timesMicros[offset + i]) {
                    adjusted(name, timesMicros[offset + i]);
                    break;
                }
            }
            watch.delivered(length);
            to.accept(t, Arrays.copyOfRange(values, offset, offset + length), 0, length);
        }
    }

    @Override
    public void event(String kind, String message) {
        if (!closed) {
            target.event(kind, message);
        }
    }

    /** Nothing more gets through. */
    void close() {
        closed = true;
    }
}
