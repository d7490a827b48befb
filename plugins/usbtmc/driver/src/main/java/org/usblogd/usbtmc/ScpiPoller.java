package org.usblogd.usbtmc;

import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.UsbException;

/**
 * Asks every configured query once per poll interval and stores each numeric answer. A reply that broke the
 * protocol costs that one answer: the link has resynchronised, the poller counts it and goes on; only
 * {@value #BROKEN_IN_A_ROW} in a row, an instrument that no longer follows the protocol, end the session.
 */
final class ScpiPoller implements DriverSession {
    /** Replies in a row that broke the protocol before the session gives up and the core reopens the device. */
    static final int BROKEN_IN_A_ROW = 3;
    /** Report counts on the first and then every this many. */
    private static final long REPORT_EVERY = 100;

    /** Where queries go: the instrument's USBTMC link. */
    interface Instrument {
        /**
         * The whole reply to an SCPI command.
         *
         * @throws UsbtmcLink.ProtocolError when the reply broke the protocol and the link resynchronised
         */
        String query(String command) throws UsbException, InterruptedException;
    }

    private final Instrument tmc;
    private final SampleSink sink;
    private final List<ScpiQuery> queries;
    private final long pollNanos;
    private long nextAt = System.nanoTime();
    private long unreadable;
    private long implausible;
    private long broken;
    private int brokenInARow;

    ScpiPoller(Instrument tmc, SampleSink sink, List<ScpiQuery> queries, long pollMs) {
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
            String reply;
            try {
                reply = tmc.query(q.command());
            } catch (UsbtmcLink.ProtocolError e) {
                broken(e);
                continue;
            }
            brokenInARow = 0;
            long now = sink.now(); // polled: the answer is the instrument's reading when asked
            Double v = UsbtmcCodec.scpiNumber(reply);
            if (v == null) {
                if (++unreadable == 1 || unreadable % REPORT_EVERY == 0) {
                    sink.event("decode.bad", "'" + q.command() + "' answered '" + reply.strip() + "' ("
                            + unreadable + " unreadable so far)");
                }
            } else if (Double.isFinite(v) && UsbtmcCodec.isScpiOverload(v)) {
                sink.event("usbtmc.overload", "'" + q.command() + "': overload (" + reply.strip() + ")");
            } else if (!q.accepts(v)) {
                if (++implausible == 1 || implausible % REPORT_EVERY == 0) {
                    sink.event("decode.implausible", implausible + " answer(s) that were no number or outside"
                            + " their query's range were dropped; the last: '" + q.command() + "' answered '"
                            + reply.strip() + "'" + range(q));
                }
            } else {
                sink.accept(q.channel(), now, v);
            }
        }
    }

    private void broken(UsbtmcLink.ProtocolError e) throws UsbException {
        broken++;
        if (++brokenInARow >= BROKEN_IN_A_ROW) {
            throw new UsbException(UsbException.Kind.OTHER, brokenInARow + " replies in a row broke the USBTMC"
                    + " protocol; the last: " + e.getMessage(), e);
        }
        if (broken == 1 || broken % REPORT_EVERY == 0) {
            sink.event("usbtmc.resync", e.getMessage() + "; the transfer was aborted and the session goes on ("
                    + broken + " so far)");
        }
    }

    private static String range(ScpiQuery q) {
        if (Double.isInfinite(q.min()) && Double.isInfinite(q.max())) {
            return "";
        }
        return " (configured: " + (Double.isInfinite(q.min()) ? "any" : q.min()) + " to "
                + (Double.isInfinite(q.max()) ? "any" : q.max()) + ")";
    }
}
