package org.usblogd.usbtmc;

import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.UsbException;

/** Asks every configured query once per poll interval and stores each numeric answer. */
final class ScpiPoller implements DriverSession {
    private final UsbtmcLink tmc;
    private final SampleSink sink;
    private final List<ScpiQuery> queries;
    private final long pollNanos;
    private long nextAt = System.nanoTime();
    private long unreadable;

    ScpiPoller(UsbtmcLink tmc, SampleSink sink, List<ScpiQuery> queries, long pollMs) {
        this.tmc = tmc;
        this.sink = sink;
        this.queries = queries;
        this.pollNanos = pollMs * 1_000_000;
    }

    @Override
    public void poll() throws UsbException, InterruptedException {
        long wait = nextAt - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Math.min(wait / 1_000_000, 1_000), (int) (wait % 1_000_000));
            if (nextAt - System.nanoTime() > 0) {
                return; // long poll intervals: wake at least each second so that a stop is seen
            }
        }
        nextAt = Math.max(nextAt + pollNanos, System.nanoTime());
        for (ScpiQuery q : queries) {
            String reply = tmc.query(q.command());
            long now = SampleSink.nowMicros();
            Double v = UsbtmcCodec.scpiNumber(reply);
            if (v == null) {
                if (++unreadable == 1 || unreadable % 100 == 0) {
                    sink.event("decode.bad", "'" + q.command() + "' answered '" + reply.strip() + "' ("
                            + unreadable + " unreadable so far)");
                }
            } else if (UsbtmcCodec.isScpiOverload(v)) {
                sink.event("usbtmc.overload", "'" + q.command() + "': overload (" + reply.strip() + ")");
            } else {
                sink.accept(q.channel(), now, v);
            }
        }
    }
}
