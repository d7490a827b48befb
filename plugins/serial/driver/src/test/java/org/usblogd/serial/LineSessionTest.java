package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;
import org.usblogd.testing.plugin.RecordingSink;

class LineSessionTest {
    private static final long T = 1_780_000_000_000_000L;

    /** A chip whose transfers are scripted, each arriving at the time the sink's clock gives next. */
    private static final class ScriptedChip implements SerialChip {
        final Deque<String> transfers = new ArrayDeque<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void open(DeviceLink link, LineSettings settings) {
        }

        @Override
        public int read(DeviceLink link, byte[] into, int timeoutMs) throws UsbException {
            String t = transfers.poll();
            if (t == null) {
                throw new UsbException(UsbException.Kind.TIMEOUT, "nothing scripted");
            }
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, into, 0, b.length);
            return b.length;
        }
    }

    private final ScriptedChip chip = new ScriptedChip();
    private final Deque<Long> arrivals = new ArrayDeque<>();
    private final RecordingSink sink = new RecordingSink().clock(() -> arrivals.remove());

    private void arrive(long at, String bytes) {
        chip.transfers.add(bytes);
        arrivals.add(at);
    }

    private void run(Map<String, String> format) throws Exception {
        LineSession session = new LineSession(null, sink, chip, new LineAssembler(256), LineFormat.parse(format));
        while (!chip.transfers.isEmpty()) {
            session.poll();
        }
    }

    @Test
    void linesThatArriveInOneTransferAreStampedApartInTheirOrder() throws Exception {
        arrive(T, "tial\n");
        for (int i = 1; i <= 5; i++) {
            arrive(T + i * 500_000L, "T=21." + i + "\n");
        }
        arrive(T + 4_000_000, "T=22.1\nT=22.2\nT=22.3\n"); // the host was busy for 1.5 s
        arrive(T + 4_000_100, "T=22.4\nT=22.5\n"); // and two more it had gathered

        run(Map.of("format", "keyvalue", "channel.T.unit", "°C"));

        List<Long> t = sink.times("T");
        assertThat(t).hasSize(10).isSorted().doesNotHaveDuplicates();
        assertThat(t.subList(5, 8)).containsExactly(T + 3_000_000, T + 3_500_000, T + 4_000_000);
        assertThat(t.subList(8, 10)).as("no room for a period: what there is, shared")
                .containsExactly(T + 4_000_050, T + 4_000_100);
        assertThat(sink.samples("T").get(9).value()).isEqualTo(22.5);
    }

    @Test
    void theValuesOfOneTransferGoToTheSinkAsOneBatchPerChannel() throws Exception {
        arrive(T, "partial\n");
        arrive(T + 1_000_000, "T=21.1 H=40\nT=21.2 H=41\nT=21.3\n");
        arrive(T + 2_000_000, "T=21.4 H=43\n");

        run(Map.of("format", "keyvalue", "channel.T.unit", "°C", "channel.H.unit", "%RH"));

        assertThat(sink.batches("T")).containsExactly(3, 1);
        assertThat(sink.batches("H")).containsExactly(2, 1);
        assertThat(sink.samples("T")).extracting(RecordingSink.Sample::value).containsExactly(21.1, 21.2, 21.3, 21.4);
        assertThat(sink.samples("H")).extracting(RecordingSink.Sample::value).containsExactly(40.0, 41.0, 43.0);
        assertThat(sink.channels).extracting(c -> c.name() + " " + c.unit()).containsExactlyInAnyOrder("T °C",
                "H %RH");
    }

    @Test
    void linesWithImpossibleValuesAreCountedNotStoredAndSaidOnce() throws Exception {
        arrive(T, "\n");
        arrive(T + 1_000, "T=nan H=45.2\nT=21.5 H=140\n");
        arrive(T + 2_000, "T=21.6 H=45.3\n");

        run(Map.of("format", "keyvalue", "channel.T.unit", "°C", "channel.H.unit", "%RH", "channel.H.max", "100"));

        assertThat(sink.samples("T")).extracting(RecordingSink.Sample::value).containsExactly(21.5, 21.6);
        assertThat(sink.samples("H")).extracting(RecordingSink.Sample::value).containsExactly(45.2, 45.3);
        assertThat(sink.events("decode.implausible")).containsExactly("2 value(s) that were no number or outside"
                + " their channel's range were dropped; the last: H 140.0 (configured: any to 100)");
        assertThat(sink.events("decode.bad")).isEmpty();
    }
}
