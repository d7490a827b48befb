package org.usblogd.wensn;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/** Polls the meter's control endpoint (it has no other) once per poll interval. */
final class WensnSession implements DriverSession {
    static final long DEFAULT_POLL_MS = 1_000;
    private static final int REQUEST_TYPE = 0xC0;
    private static final int READ = 4;
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final long pollMs;
    private final WensnDecoder decoder = new WensnDecoder();
    private final byte[] buffer = new byte[2];
    private long nextAt = System.nanoTime();
    private String settings;
    private long implausibleReported;

    WensnSession(DeviceLink link, SampleSink sink, long pollMs) {
        this.link = link;
        this.sink = sink;
        this.pollMs = pollMs;
    }

    @Override
    public void poll() throws UsbException, InterruptedException {
        long wait = nextAt - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        nextAt += pollMs * 1_000_000;
        if (System.nanoTime() - nextAt > 0) {
            nextAt = System.nanoTime() + pollMs * 1_000_000; // a slow read: do not try to catch up
        }
        int n = link.control(REQUEST_TYPE, READ, 0, 0, buffer, buffer.length, TIMEOUT_MS);
        long now = sink.now(); // polled: the level is the meter's when asked
        long badBefore = decoder.bad();
        WensnDecoder.Reading r = decoder.decode(buffer, n);
        if (r == null) {
            if (decoder.bad() > badBefore && (decoder.bad() == 1 || decoder.bad() % 100 == 0)) {
                sink.event("decode.bad", decoder.bad() + " reading(s) were short or malformed");
            }
            if (decoder.implausible() > implausibleReported
                    && (implausibleReported == 0 || implausibleReported / 100 != decoder.implausible() / 100)) {
                implausibleReported = decoder.implausible();
                sink.event("decode.implausible", implausibleReported + " level(s) above the meter's "
                        + WensnDecoder.MAX_DECIBELS + " dB were dropped; the last: " + decoder.lastImplausible()
                        + " dB");
            }
            return;
        }
        sink.accept(WensnDriver.LEVEL.name(), now, r.decibels());
        if (!r.settings().equals(settings)) {
            settings = r.settings();
            sink.event("meter.settings", settings);
        }
    }
}
