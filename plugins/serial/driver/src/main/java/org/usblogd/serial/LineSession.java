package org.usblogd.serial;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/**
 * Reads the line, reassembles lines across packets and stores the values each line carries, stamped by the
 * device's line cadence (lines of one transfer do not share one time). The values of one transfer go to the
 * sink as one batch per channel.
 */
final class LineSession implements DriverSession {
    private static final int TIMEOUT_MS = 1_000;

    private final DeviceLink link;
    private final SampleSink sink;
    private final SerialChip chip;
    private final LineAssembler lines;
    private final LineFormat format;
    private final LineCadence cadence = new LineCadence();
    /** The format's channels, declared when the session opens, each gathering a transfer's values. */
    private final Map<String, Gathered> channels = new LinkedHashMap<>();
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
        format.channels().forEach((channel, unit) -> channels.put(channel,
                new Gathered(sink.channel(new Channel(channel, unit, channel)))));
    }

    /** One channel's values of a transfer, until they go to its sink together. */
    private static final class Gathered {
        private final ChannelSink sink;
        private long[] times = new long[16];
        private double[] values = new double[16];
        private int n;

        Gathered(ChannelSink sink) {
            this.sink = sink;
        }

        void add(long t, double v) {
            if (n == times.length) {
                times = Arrays.copyOf(times, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            times[n] = t;
            values[n] = v;
            n++;
        }

        void flush() {
            if (n > 0) {
                sink.accept(times, values, 0, n);
                n = 0;
            }
        }
    }

    @Override
    public void poll() throws UsbException {
        int n = chip.read(link, buffer, TIMEOUT_MS);
        long now = sink.now();
        List<String> got = lines.add(buffer, 0, n);
        long[] times = cadence.stamp(now, got.size());
        for (int i = 0; i < got.size(); i++) {
            for (LineFormat.Value v : format.parse(got.get(i))) {
                Gathered g = channels.get(v.channel());
                if (g != null) {
                    g.add(times[i], v.value());
                } else {
                    sink.accept(v.channel(), times[i], v.value());
                }
            }
        }
        channels.values().forEach(Gathered::flush);
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
