package org.usblogd.serial;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/** Reads the line, reassembles lines across packets and stores the values each line carries. */
final class LineSession implements DriverSession {
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final SerialChip chip;
    private final LineAssembler lines;
    private final LineFormat format;
    private final byte[] buffer = new byte[512];
    private long cutReported;
    private long badReported;

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
        long now = SampleSink.nowMicros();
        for (String line : lines.add(buffer, 0, n)) {
            for (LineFormat.Value v : format.parse(line)) {
                sink.accept(v.channel(), now, v.value());
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
    }
}
