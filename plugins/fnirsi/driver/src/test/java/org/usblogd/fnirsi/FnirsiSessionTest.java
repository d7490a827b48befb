package org.usblogd.fnirsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.UsbException;
import org.usblogd.fnirsi.twin.FnirsiTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

class FnirsiSessionTest {
    private static final long A = 1_780_000_000_000_000L;

    /** A meter whose reports arrive at the given times; the first data report after the start is garbage. */
    private final ScriptedLink link = new ScriptedLink(new FnirsiTwin(FnirsiTwin.Model.FNB58, 1).info());
    private final Deque<Long> arrivals = new ArrayDeque<>();
    private final RecordingSink sink = new RecordingSink().clock(() -> arrivals.remove());

    private void arrive(long at, byte[] report) {
        link.then(report);
        arrivals.add(at);
    }

    private static byte[] report(double volts) {
        return FnirsiTwin.dataReport(volts, 1.0, 2.9, 0.1, 25.0);
    }

    /** Polls until the script is read, then once more: that read times out. */
    private void run() throws Exception {
        FnirsiSession session = FnirsiSession.open(link, sink);
        while (link.left() > 0) {
            session.poll();
        }
        assertThatThrownBy(session::poll).isInstanceOf(UsbException.class)
                .extracting(e -> ((UsbException) e).kind()).isEqualTo(UsbException.Kind.TIMEOUT);
        session.close();
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    void reportsThatPiledUpAreStampedInOrderTenMillisecondsApart() throws Exception {
        arrive(A - 100_000, report(5.0)); // the garbage report after the start, dropped
        for (int k = 0; k < 10; k++) {
            arrive(A + k, report(5.0 + k / 100.0)); // read back to back, a microsecond apart
        }

        run();

        List<Long> t = sink.times("voltage");
        assertThat(t).hasSize(40);
        assertThat(gaps(t)).containsOnly(10_000L);
        assertThat(t.get(39)).as("the newest sample at the last arrival, none after").isEqualTo(A + 9);
        assertThat(sink.samples("voltage").get(4).value()).as("report 1 after report 0").isEqualTo(5.01);
        for (String channel : List.of("current", "d_plus", "d_minus", "temperature")) {
            assertThat(sink.times(channel)).as(channel).isEqualTo(t);
        }
    }

    @Test
    void aRunOfReportsReadBackToBackGoesToTheSinkAsOneBatchPerChannel() throws Exception {
        arrive(A - 100_000, report(5.0)); // the garbage report after the start, dropped
        for (int k = 0; k < 10; k++) {
            arrive(A + k, report(5.0 + k / 100.0)); // one run: forty readings
        }
        arrive(A + 1_000_000, report(6.0)); // a report alone, after a pause: a run of its own

        run();

        for (String channel : List.of("voltage", "current", "d_plus", "d_minus", "temperature")) {
            assertThat(sink.batches(channel)).as(channel).containsExactly(40, 4);
        }
        assertThat(sink.samples("voltage")).hasSize(44).last().extracting(RecordingSink.Sample::value)
                .isEqualTo(6.0);
    }

    @Test
    void aPileAfterTheHostStalledKeepsTheMetersCadenceWithTheSamplesBeforeAndAfter() throws Exception {
        arrive(A - 1_000_000, report(5.0));
        long at = A;
        for (int k = 0; k < 20; k++, at += 40_000) {
            arrive(at, report(5.0));
        }
        long stalled = at - 40_000 + 400_000; // the host read nothing for 400 ms; the meter went on measuring
        for (int k = 0; k < 10; k++) {
            arrive(stalled + k, report(5.1));
        }
        for (int k = 1; k <= 5; k++) {
            arrive(stalled + k * 40_000, report(5.2));
        }

        run();

        List<Long> t = sink.times("voltage");
        assertThat(t).hasSize((20 + 10 + 5) * 4);
        assertThat(gaps(t)).containsOnly(10_000L);
        assertThat(t.get(t.size() - 1)).isEqualTo(stalled + 5 * 40_000);
    }

    @Test
    void aReportLostInBetweenLeavesItsGapRatherThanSmearingIt() throws Exception {
        arrive(A - 1_000_000, report(5.0));
        for (int k = 0; k < 5; k++) {
            arrive(A + k * 40_000, report(5.0));
        }
        byte[] corrupt = report(5.0);
        corrupt[10] ^= 0x01; // fails its CRC: four samples lost
        arrive(A + 5 * 40_000, corrupt);
        for (int k = 6; k < 10; k++) {
            arrive(A + k * 40_000, report(5.0));
        }

        run();

        List<Long> gaps = gaps(sink.times("voltage"));
        assertThat(gaps).hasSize(9 * 4 - 1).filteredOn(g -> g != 10_000L).containsExactly(50_000L);
        assertThat(sink.events("decode.bad")).hasSize(1);
    }

    @Test
    void reportsWithAValidCrcButImpossibleValuesAreCountedNotStored() throws Exception {
        arrive(A - 1_000_000, report(5.0));
        arrive(A, report(5.0));
        arrive(A + 40_000, FnirsiTwin.dataReport(40_000.0, 1.0, 2.9, 0.1, 25.0));
        arrive(A + 80_000, FnirsiTwin.dataReport(5.0, 1.0, 2.9, 0.1, 6_553.5));
        arrive(A + 120_000, report(5.0));

        run();

        assertThat(sink.samples("voltage")).hasSize(8).extracting(RecordingSink.Sample::value).containsOnly(5.0);
        assertThat(sink.samples("temperature")).extracting(RecordingSink.Sample::value).containsOnly(25.0);
        assertThat(sink.events("decode.implausible")).as("the first, then every thousandth").containsExactly(
                "1 report(s) with a valid CRC held what no meter measures and were dropped; the last: sample 0:"
                        + " 40000.0 V (possible: 0 to 30.0 V)");
    }
}
