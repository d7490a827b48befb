package org.usblogd.usbtmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.UsbException;
import org.usblogd.sim.twin.UsbtmcTwin;

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

        assertThatThrownBy(() -> tmc.query("MEAS:VOLT:DC?")).isInstanceOf(UsbException.class)
                .hasMessageContaining("'MEAS:VOLT:DC?': reply bTag");
        assertThat(twin.abortsIn()).isEqualTo(1);
        assertThat(tmc.query("SYST:ERR?")).isEqualTo("+0,\"No error\"\n");
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
