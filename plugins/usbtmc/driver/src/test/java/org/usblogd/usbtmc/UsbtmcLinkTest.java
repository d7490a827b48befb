package org.usblogd.usbtmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.UsbException;
import org.usblogd.usbtmc.twin.UsbtmcTwin;
import org.usblogd.testing.plugin.RecordingSink;

class UsbtmcLinkTest {

    @Test
    void openingClearsAndReadsTheCapabilities() throws Exception {
        UsbtmcLink tmc = UsbtmcLink.open(new TwinLink(new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1)), 200);

        assertThat(tmc.capabilities()).hasToString("USBTMC 1.00, USB488, SCPI, TermChar");
    }

    @Test
    void aLongReplyTakesSeveralRequestsUntilEom() throws Exception {
        UsbtmcLink tmc = UsbtmcLink.open(new TwinLink(new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1)), 200);

        assertThat(tmc.query("*IDN?")).isEqualTo(
                "Keysight Technologies,34461A,MY12345678,A.02.14-02.40-02.14-00.49-03-01\n");
    }

    @Test
    void rigolRepliesWithAHeaderOnlyOnTheirFirstPacket() throws Exception {
        UsbtmcLink tmc = UsbtmcLink.open(new TwinLink(new UsbtmcTwin(UsbtmcTwin.Style.RIGOL, 1)), 200);

        assertThat(tmc.query("*IDN?")).isEqualTo("Rigol Technologies,DM3058,DM3A000001,01.01.00.01.08.00\n");
        assertThat(UsbtmcCodec.scpiNumber(tmc.query("MEAS:VOLT:DC?"))).isBetween(1.2344, 1.2347);
    }

    @Test
    void aWrongBTagIsRejectedTheTransferAbortedAndTheNextQueryWorks() throws Exception {
        UsbtmcTwin twin = new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1);
        UsbtmcLink tmc = UsbtmcLink.open(new TwinLink(twin), 200);
        twin.corruptNextTag();

        assertThatThrownBy(() -> tmc.query("MEAS:VOLT:DC?")).isInstanceOf(UsbtmcLink.ProtocolError.class)
                .hasMessageContaining("'MEAS:VOLT:DC?': reply bTag");
        assertThat(twin.abortsIn()).isEqualTo(1);
        assertThat(tmc.query("SYST:ERR?")).isEqualTo("+0,\"No error\"\n");
    }

    private static List<Double> voltages(RecordingSink sink) {
        return sink.samples("voltage").stream().map(RecordingSink.Sample::value).toList();
    }

    @Test
    void theSessionSurvivesOneWrongBTagAndTheNextQueryGetsItsCorrectAnswer() throws Exception {
        UsbtmcTwin twin = new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1);
        RecordingSink sink = new RecordingSink();
        ScpiPoller session = new ScpiPoller(UsbtmcLink.open(new TwinLink(twin), 200), sink,
                ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC? -> voltage V", "2", "MEAS:CURR:DC? -> current A")), 10);
        twin.corruptNextTag();

        session.poll();

        assertThat(twin.abortsIn()).isEqualTo(1);
        assertThat(sink.samples("voltage")).as("the answer with the wrong bTag").isEmpty();
        assertThat(sink.samples("current")).as("the next query, in the same poll").hasSize(1);
        assertThat(sink.samples("current").get(0).value()).isBetween(0.01229, 0.01231);
        assertThat(sink.events("usbtmc.resync")).singleElement().asString()
                .startsWith("'MEAS:VOLT:DC?': reply bTag").endsWith("the transfer was aborted and the session goes on"
                        + " (1 so far)");

        session.poll();
        assertThat(voltages(sink)).singleElement().satisfies(v -> assertThat(v).isBetween(1.2344, 1.2347));
    }

    @Test
    void aWrongMsgIdOrAHeaderCutShortIsAbortedAndTheSessionGoesOnToo() throws Exception {
        List<UnaryOperator<byte[]>> garbles = List.of(p -> {
            p[0] = 1; // DEV_DEP_MSG_OUT where DEV_DEP_MSG_IN belongs
            return p;
        }, p -> Arrays.copyOf(p, 7));
        List<String> said = List.of("'MEAS:VOLT:DC?': reply MsgID 1", "'MEAS:VOLT:DC?': reply of 7 bytes has no USBTMC header");
        for (int i = 0; i < garbles.size(); i++) {
            GarblingTwin device = new GarblingTwin(new UsbtmcTwin(UsbtmcTwin.Style.RIGOL, 1));
            RecordingSink sink = new RecordingSink();
            ScpiPoller session = new ScpiPoller(UsbtmcLink.open(new TwinLink(device), 200), sink,
                    ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC? -> voltage V")), 10);
            device.garbleNext(garbles.get(i));

            session.poll();
            session.poll();

            assertThat(device.twin.abortsIn()).isEqualTo(1);
            assertThat(sink.events("usbtmc.resync")).singleElement().asString().startsWith(said.get(i));
            assertThat(voltages(sink)).singleElement().satisfies(v -> assertThat(v).isBetween(1.2344, 1.2347));
        }
    }

    @Test
    void anInstrumentThatRefusesTheAbortIsClearedAsWhenOpeningAndTheSessionGoesOn() throws Exception {
        GarblingTwin device = new GarblingTwin(new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1));
        RecordingSink sink = new RecordingSink();
        ScpiPoller session = new ScpiPoller(UsbtmcLink.open(new TwinLink(device), 200), sink,
                ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC? -> voltage V")), 10);
        assertThat(device.clears()).as("when opening").isEqualTo(1);
        device.refuseAborts();
        device.twin.corruptNextTag();

        session.poll();
        session.poll();

        assertThat(device.clears()).isEqualTo(2);
        assertThat(voltages(sink)).singleElement().satisfies(v -> assertThat(v).isBetween(1.2344, 1.2347));
    }

    @Test
    void brokenRepliesInARowEndTheSessionButNotWhenAGoodOneComesBetween() throws Exception {
        UsbtmcTwin twin = new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1);
        RecordingSink sink = new RecordingSink();
        ScpiPoller session = new ScpiPoller(UsbtmcLink.open(new TwinLink(twin), 200), sink,
                ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC? -> voltage V")), 10);
        for (int i = 0; i < 2; i++) {
            twin.corruptNextTag();
            session.poll();
        }
        session.poll();
        for (int i = 0; i < 2; i++) {
            twin.corruptNextTag();
            session.poll();
        }
        assertThat(voltages(sink)).hasSize(1);

        twin.corruptNextTag();
        assertThatThrownBy(session::poll).isInstanceOf(UsbException.class)
                .isNotInstanceOf(UsbtmcLink.ProtocolError.class)
                .hasMessageStartingWith("3 replies in a row broke the USBTMC protocol; the last: 'MEAS:VOLT:DC?': reply bTag");
        assertThat(twin.abortsIn()).isEqualTo(5);
    }

    @Test
    void answersThatAreNoNumberOrOutsideTheQuerysRangeAreCountedNotStored() throws Exception {
        Deque<String> replies = new ArrayDeque<>(List.of("NaN\n", "+9.9E37\n", "Infinity\n", "-1E999\n",
                "+3.10000000E+01\n", "+1.20000000E+01\n"));
        RecordingSink sink = new RecordingSink();
        ScpiPoller session = new ScpiPoller(command -> replies.remove(), sink, ScpiQuery.parse(
                Map.of("1", "MEAS:VOLT:DC? -> voltage V", "1.min", "-30", "1.max", "30")), 10);

        for (int i = 0; i < 6; i++) {
            session.poll();
        }

        assertThat(voltages(sink)).containsExactly(12.0);
        assertThat(sink.events("usbtmc.overload")).containsExactly("'MEAS:VOLT:DC?': overload (+9.9E37)");
        assertThat(sink.events("decode.implausible")).containsExactly("1 answer(s) that were no number or outside"
                + " their query's range were dropped; the last: 'MEAS:VOLT:DC?' answered 'NaN' (configured: -30.0"
                + " to 30.0)");
        assertThat(sink.events("decode.bad")).isEmpty();
    }

    @Test
    void aQueryTheInstrumentDoesNotAnswerTimesOutAndIsAborted() throws Exception {
        UsbtmcTwin twin = new UsbtmcTwin(UsbtmcTwin.Style.KEYSIGHT, 1);
        UsbtmcLink tmc = UsbtmcLink.open(new TwinLink(twin), 200);

        assertThatThrownBy(() -> tmc.query("BOGUS?")).isInstanceOf(UsbException.class)
                .extracting(e -> ((UsbException) e).kind()).isEqualTo(UsbException.Kind.TIMEOUT);
        assertThat(twin.abortsIn()).isEqualTo(1);
        assertThat(UsbtmcCodec.scpiNumber(tmc.query("MEAS:CURR:DC?"))).isBetween(0.01229, 0.01231);
    }
}
