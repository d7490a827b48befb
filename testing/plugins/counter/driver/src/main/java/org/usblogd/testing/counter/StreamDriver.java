package org.usblogd.testing.counter;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.ChannelSink;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * Reads the sample stream twin (1209:0011): every reading becomes a {@code value} sample and its sequence
 * number a {@code seq} sample, timed by the device's own clock (its sample period, from the arrival of the
 * first transfer), as an acquisition device's samples are. A transfer's readings go to the sink as one batch
 * per channel. For the store's benchmark and crash test.
 */
@Component(immediate = true)
@UsbMatch(driver = "stream", vid = "1209", pid = "0011")
public class StreamDriver implements Driver {
    private static final int ENDPOINT = 0x81;

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        link.claim(0);
        ChannelSink value = sink.channel(new Channel("value", "V", "voltage"));
        ChannelSink sequence = sink.channel(new Channel("seq", "1", "sequence number"));
        int most = 1000;
        byte[] buffer = new byte[12 + 4 * most];
        long[] times = new long[most];
        double[] values = new double[most];
        double[] seqs = new double[most];
        long[] anchor = { Long.MIN_VALUE };
        return () -> {
            int n = link.bulk(ENDPOINT, buffer, buffer.length, 1_000);
            if (n < 12) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            long first = b.getLong();
            long periodNanos = Math.max(1, b.getInt());
            int count = (n - 12) / 4;
            if (anchor[0] == Long.MIN_VALUE) {
                anchor[0] = sink.now() * 1_000 - (first + count - 1) * periodNanos;
            }
            for (int i = 0; i < count; i++) {
                long seq = first + i;
                times[i] = (anchor[0] + seq * periodNanos) / 1_000;
                values[i] = b.getInt() / 100.0;
                seqs[i] = seq;
            }
            value.accept(times, values, 0, count);
            sequence.accept(times, seqs, 0, count);
        };
    }
}
