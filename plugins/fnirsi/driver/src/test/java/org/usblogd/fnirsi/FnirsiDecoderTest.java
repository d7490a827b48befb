package org.usblogd.fnirsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.fnirsi.twin.FnirsiTwin;

class FnirsiDecoderTest {
    private static final String SAMPLE = "20 A1 07 00 A0 86 01 00 54 0B 64 00 01 FA 00";

    private static byte[] documentedReport() {
        String hex = "AA 04 " + (SAMPLE + " ").repeat(4) + "00 9D";
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }

    @Test
    void theDocumentedReportHoldsFourSamplesAndItsCrc() {
        byte[] report = documentedReport();

        assertThat(FnirsiCodec.crc(report)).isEqualTo(0x9D);
        assertThat(new FnirsiDecoder().decode(report, 64)).hasSize(4).allSatisfy(s -> {
            assertThat(s.volts()).isEqualTo(5.0);
            assertThat(s.amps()).isEqualTo(1.0);
            assertThat(s.dPlusVolts()).isEqualTo(2.9);
            assertThat(s.dMinusVolts()).isEqualTo(0.1);
            assertThat(s.celsius()).isEqualTo(25.0);
        }).extracting(FnirsiDecoder.Sample::index).containsExactly(0, 1, 2, 3);
    }

    @Test
    void commandsCarryTheirCrc() {
        byte[] start = FnirsiCodec.command(0x81);

        assertThat(start).hasSize(64);
        assertThat(start[0] & 0xFF).isEqualTo(0xAA);
        assertThat(start[1] & 0xFF).isEqualTo(0x81);
        assertThat(start[63] & 0xFF).isEqualTo(FnirsiCodec.crc(start)).isEqualTo(FnirsiTwin.crc(start));
    }

    @Test
    void theTwinsReportsDecodeToWhatItMeant() {
        assertThat(new FnirsiDecoder().decode(FnirsiTwin.dataReport(12.34567, 2.5, 0.6, 0.6, 31.2), 64))
                .first().isEqualTo(new FnirsiDecoder.Sample(0, 12.34567, 2.5, 0.6, 0.6, 31.2));
    }

    @Test
    void aBadCrcAShortReportAndAnInfoPacketGiveNoSamples() {
        FnirsiDecoder d = new FnirsiDecoder();
        byte[] corrupt = documentedReport();
        corrupt[10] ^= 0x01;
        byte[] info = documentedReport();
        info[1] = 0x03;
        info[63] = (byte) FnirsiCodec.crc(info);

        assertThat(d.decode(corrupt, 64)).isEmpty();
        assertThat(d.decode(documentedReport(), 63)).isEmpty();
        assertThat(d.decode(info, 64)).isEmpty();
        assertThat(d.bad()).isEqualTo(2);
        assertThat(d.other()).isEqualTo(1);
    }

    @Test
    void garbageNeverThrowsAndEveryReportIsEitherDecodedOrCounted() {
        FnirsiDecoder d = new FnirsiDecoder();
        Random random = new Random(9);
        long decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] r = new byte[random.nextInt(70)];
            random.nextBytes(r);
            if (r.length == 64 && random.nextBoolean()) {
                r[0] = (byte) 0xAA; // framed garbage with a valid CRC reaches the sample checks
                r[63] = (byte) FnirsiCodec.crc(r);
            }
            if (!d.decode(r, random.nextBoolean() ? r.length : random.nextInt(r.length + 1)).isEmpty()) {
                decoded++;
            }
        }
        assertThat(decoded + d.bad() + d.other() + d.implausible()).isEqualTo(100_000);
        assertThat(d.bad()).isPositive();
    }

    @Test
    void reportsWithValidCrcsCarryingWhatNoMeterMeasuresAreCountedNotStored() {
        FnirsiDecoder d = new FnirsiDecoder();
        byte[] oneBadSample = FnirsiTwin.dataReport(5.0, 1.0, 2.9, 0.1, 25.0);
        oneBadSample[2 + 2 * 15 + 13] = (byte) 0xFF; // sample 2: 6553.5 °C
        oneBadSample[2 + 2 * 15 + 14] = (byte) 0xFF;
        oneBadSample[63] = (byte) FnirsiCodec.crc(oneBadSample);

        assertThat(d.decode(FnirsiTwin.dataReport(30.01, 1.0, 2.9, 0.1, 25.0), 64)).as("volts").isEmpty();
        assertThat(d.decode(FnirsiTwin.dataReport(5.0, 8.01, 2.9, 0.1, 25.0), 64)).as("amps").isEmpty();
        assertThat(d.decode(FnirsiTwin.dataReport(5.0, 1.0, 65.535, 0.1, 25.0), 64)).as("D+").isEmpty();
        assertThat(d.decode(FnirsiTwin.dataReport(5.0, 1.0, 2.9, 30.5, 25.0), 64)).as("D-").isEmpty();
        assertThat(d.decode(FnirsiTwin.dataReport(5.0, 1.0, 2.9, 0.1, 100.1), 64)).as("°C").isEmpty();
        assertThat(d.decode(oneBadSample, 64)).as("one sample spoils its report").isEmpty();
        assertThat(d.decode(FnirsiTwin.dataReport(30.0, 8.0, 30.0, 30.0, 100.0), 64)).as("the limits").hasSize(4);

        assertThat(d.implausible()).isEqualTo(6);
        assertThat(d.lastImplausible()).isEqualTo("sample 2: 6553.5 °C (possible: 0 to 100.0 °C)");
        assertThat(d.bad()).isZero();
    }
}
