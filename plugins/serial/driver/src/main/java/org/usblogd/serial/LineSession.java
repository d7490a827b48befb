package org.usblogd.serial;

import java.util.List;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/**
 * Reads the line, reassembles lines across packets and stores the values each line carries, stamped by the
 * device's line cadence (lines of one transfer do not share one time).
 */
final class LineSession implements DriverSession {
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final SerialChip chip;
    private final LineAssembler lines;
    private final LineFormat format;
    private final LineCadence cadence = new LineCadence();
    private final byte[] buffer = new byte[512];
    private long cutReported;
    private long badReported;
    private long implausibleReported;

    LineSession(DeviceLink link, SampleSink sink, SerialChip chip, LineAssembler lines, LineFormat format) {
        this.link = link;
        this.sink = sink;
        this.chip = chip;
        this.lines = lines;
        this.format = format;
    }

    @Override
    public void poll() throws UsbException {
        int n = chip.read(link, buffer, TIMEOUT_MS);
        long now = sink.now();
        List<String> got = lines.add(buffer, 0, n);
        long[] times = cadence.stamp(now, got.size());
        for (int i = 0; i < got.size(); i++) {
            for (LineFormat.Value v : format.parse(got.get(i))) {
                sink.accept(v.channel(), times[i], v.value());
            }
        }
        if (lines.cut() > cutReported) {
            cutReported = lines.cut();
            sink.event("serial.line-cut", cutReported + " line(s) longer than the limit were cut off");
        }
        if (format.bad() > badReported && (badReported == 0 || format.bad() - badReported >= 100)) {
            badReported = format.bad();
            sink.event("decode.bad", badReported + " line(s) carried no value in the configured format");
        }
        if (format.implausible() > implausibleReported
                && (implausibleReported == 0 || implausibleReported / 100 != format.implausible() / 100)) {
            implausibleReported = format.implausible();
            sink.event("decode.implausible", implausibleReported + " value(s) that were no number or outside their"
                    + " channel's range were dropped; the last: " + format.lastImplausible());
        }
    }
}
