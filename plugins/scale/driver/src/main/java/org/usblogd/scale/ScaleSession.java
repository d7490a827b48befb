package org.usblogd.scale;

import java.util.HashSet;
import java.util.Set;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;

/**
 * Reads the reports a scale pushes several times a second. A stable weight is stored when it changes and
 * otherwise once per record interval ({@code poll.ms}), in a channel per unit ({@code weight_g},
 * {@code weight_oz}) because the user may switch units on the scale; faults become events.
 */
final class ScaleSession implements DriverSession {
    static final long DEFAULT_RECORD_MS = 1_000;
    private static final int INTERFACE = 0;
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final int endpoint;
    private final long recordNanos;
    private final ScaleDecoder decoder;
    private final byte[] buffer = new byte[64];
    private final Set<String> declared = new HashSet<>();
    private boolean first = true;
    private ScaleDecoder.Status lastStatus;
    private String lastKey;
    private long lastRecordedAt;
    private long implausibleReported;

    private ScaleSession(DeviceLink link, SampleSink sink, int endpoint, long recordMs) {
        this.link = link;
        this.sink = sink;
        this.endpoint = endpoint;
        this.recordNanos = recordMs * 1_000_000;
        this.decoder = new ScaleDecoder(ScaleDecoder.Model.of(link.info().vidPid()));
    }

    static ScaleSession open(DeviceLink link, SampleSink sink, long recordMs) throws UsbException {
        int endpoint = link.info().interfaces().stream().filter(i -> i.number() == INTERFACE)
                .flatMap(i -> i.endpoints().stream())
                .filter(e -> e.isIn() && e.type() == TransferType.INTERRUPT).mapToInt(UsbEndpointInfo::address)
                .findFirst().orElseThrow(() -> new UsbException(UsbException.Kind.OTHER,
                        "scale has no interrupt IN endpoint on interface 0"));
        link.claim(INTERFACE);
        return new ScaleSession(link, sink, endpoint, recordMs);
    }

    @Override
    public void poll() throws UsbException {
        int n = link.interrupt(endpoint, buffer, buffer.length, TIMEOUT_MS);
        if (first) {
            first = false; // the first report after opening holds a stale weight
            return;
        }
        // the scale's report rate is not documented, and a weight is a state rather than one of a series:
        // it is stamped when it arrives
        long now = sink.now();
        long badBefore = decoder.bad();
        ScaleDecoder.Reading r = decoder.decode(buffer, n);
        if (r == null) {
            if (decoder.bad() > badBefore && (decoder.bad() == 1 || decoder.bad() % 100 == 0)) {
                sink.event("decode.bad", decoder.bad() + " report(s) were short or malformed");
            }
            if (decoder.implausible() > implausibleReported
                    && (implausibleReported == 0 || implausibleReported / 100 != decoder.implausible() / 100)) {
                implausibleReported = decoder.implausible();
                sink.event("decode.implausible", implausibleReported + " weight(s) beyond the scale's capacity"
                        + " were dropped; the last: " + decoder.lastImplausible());
            }
            return;
        }
        if (r.status() != lastStatus) {
            if (r.status().isFault()) {
                sink.event("scale." + r.status().name().toLowerCase().replace('_', '-'), "scale reports "
                        + r.status().text());
            } else if (lastStatus != null && lastStatus.isFault()) {
                sink.event("scale.ok", "scale weighs again (" + r.status().text() + ")");
            }
            lastStatus = r.status();
        }
        if (!r.status().weighs()) {
            return;
        }
        String channel = "weight_" + r.unit();
        if (declared.add(channel)) {
            sink.declare(new Channel(channel, r.unit(), "mass"));
        }
        long nanos = System.nanoTime();
        String key = channel + "=" + r.weight();
        if (!key.equals(lastKey) || nanos - lastRecordedAt >= recordNanos) {
            sink.accept(channel, now, r.weight());
            lastKey = key;
            lastRecordedAt = nanos;
        }
    }
}
