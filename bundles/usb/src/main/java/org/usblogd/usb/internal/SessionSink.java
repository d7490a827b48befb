package org.usblogd.usb.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;

/**
 * The sink one session writes into, between its driver and the store: it stamps with the device's time
 * that never runs backwards, keeps each channel's times in order, tells the device's stale watch that the
 * device delivers, and is closed when the session ends or is abandoned, so that a hung driver that wakes up
 * later cannot write next to its replacement.
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
    public void accept(String channel, long timeMicros, double value) {
        if (closed) {
            if (!refusedLogged) {
                refusedLogged = true;
                log.warn("{}: a session that was ended or abandoned still delivers samples; they are not stored",
                        device);
            }
            return;
        }
        long t = time.stamp(channel, timeMicros);
        if (t != timeMicros && adjustedChannels.add(channel)) {
            String message = "channel " + channel + ": a sample time went backwards (" + timeMicros
                    + " µs); such samples are stored a microsecond after the one before";
            log.warn("{}: {}", device, message);
            target.event("time.adjusted", message);
        }
        watch.delivered();
        target.accept(channel, t, value);
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
