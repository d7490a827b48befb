package org.usblogd.usb.internal;

import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;

/**
 * The sink of a session that took over from a swap bridge: the session's own, except that {@link #now()} is
 * the device time a kept transfer arrived at while the driver reads those, so that samples made during the
 * swap are stored when the device sent them, not all at once when the new driver caught up.
 */
final class ArrivalTimeSink implements SampleSink {
    private final SampleSink sink;
    private final CoreDeviceLink link;

    ArrivalTimeSink(SampleSink sink, CoreDeviceLink link) {
        this.sink = sink;
        this.link = link;
    }

    @Override
    public long now() {
        long t = link.arrivalTime();
        return t == CoreDeviceLink.LIVE ? sink.now() : t;
    }

    @Override
    public void declare(Channel channel) {
        sink.declare(channel);
    }

    /** The session's own channel sinks: the times drivers give them come from {@link #now()} all the same. */
    @Override
    public ChannelSink channel(Channel channel) {
        return sink.channel(channel);
    }

    @Override
    public void accept(String channel, long timeMicros, double value) {
        sink.accept(channel, timeMicros, value);
    }

    @Override
    public void event(String kind, String message) {
        sink.event(kind, message);
    }
}
