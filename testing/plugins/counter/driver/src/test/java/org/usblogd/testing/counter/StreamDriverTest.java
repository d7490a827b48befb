package org.usblogd.testing.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.testing.plugin.RecordingSink;
import org.usblogd.testing.plugin.ScriptedLink;

class StreamDriverTest {
    private static final long PERIOD_NANOS = 100_000; // 10,000 readings a second

    /** A transfer as the stream twin sends it: the first reading's sequence number, the period, the readings. */
    private static byte[] transfer(long first, int count) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * count);
        b.putLong(first).putInt((int) PERIOD_NANOS);
        for (int i = 0; i < count; i++) {
            b.putInt((int) (first + i) % 1_000);
        }
        return b.array();
    }

    @Test
    void aTransferOfAThousandReadingsArrivesAsOneBatchPerChannelTimedByTheDevicesPeriod() throws Exception {
        ScriptedLink link = new ScriptedLink(new UsbDeviceInfo(0x1209, 0x0011, 0x100, 0, 0, 0, "usblogd", "stream",
                "S1", "1-1", 3, List.of()));
        link.then(transfer(0, 1_000), transfer(1_000, 250));
        RecordingSink sink = new RecordingSink();

        DriverSession session = new StreamDriver().open(link, sink);
        session.poll();
        session.poll();

        assertThat(sink.batches("value")).containsExactly(1_000, 250);
        assertThat(sink.batches("seq")).containsExactly(1_000, 250);
        List<Long> t = sink.times("value");
        assertThat(t).hasSize(1_250).isEqualTo(sink.times("seq"));
        for (int i = 1; i < t.size(); i++) {
            assertThat(t.get(i) - t.get(i - 1)).as("reading %d", i).isEqualTo(PERIOD_NANOS / 1_000);
        }
        assertThat(sink.samples("seq").get(1_249).value()).isEqualTo(1_249.0);
        assertThat(sink.samples("value").get(1_001).value()).isEqualTo(0.01);
    }
}
