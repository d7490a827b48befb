package org.usblogd.usbtmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class UsbtmcCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    @Test
    void theConstructedRoundTripOfTheDocumentation() {
        byte[] out = UsbtmcCodec.devDepMsgOut(1, "MEAS:VOLT:DC?\n");

        assertThat(HEX.formatHex(out, 0, 12)).isEqualTo("01 01 FE 00 0E 00 00 00 01 00 00 00");
        assertThat(new String(out, 12, 14, StandardCharsets.US_ASCII)).isEqualTo("MEAS:VOLT:DC?\n");
        assertThat(out).hasSize(28);
        assertThat(out[26]).isZero();
        assertThat(out[27]).isZero();
        assertThat(HEX.formatHex(UsbtmcCodec.requestDevDepMsgIn(2, 0x100000, -1)))
                .isEqualTo("02 02 FD 00 00 00 10 00 00 00 00 00");

        byte[] in = HEX.parseHex("02 02 FD 00 10 00 00 00 01 00 00 00 2B 31 2E 32 33 34 35 36 37 38 39 45 2B 30 30 0A");
        UsbtmcCodec.InHeader h = UsbtmcCodec.parseIn(in, in.length, 2, 0x100000);

        assertThat(h).isEqualTo(new UsbtmcCodec.InHeader(2, 2, 16, true));
        assertThat(UsbtmcCodec.scpiNumber(new String(in, 12, 16, StandardCharsets.US_ASCII))).isEqualTo(1.23456789);
    }

    @Test
    void theDocumentedHeaderVectors() {
        assertThat(HEX.formatHex(UsbtmcCodec.devDepMsgOut(1, "*IDN?\nXYZ"), 0, 12))
                .isEqualTo("01 01 FE 00 09 00 00 00 01 00 00 00");
        assertThat(HEX.formatHex(UsbtmcCodec.requestDevDepMsgIn(1, 9, '\n')))
                .isEqualTo("02 01 FE 00 09 00 00 00 02 0A 00 00");
    }

    @Test
    void bTagRunsFromOneTo255AndSkipsZero() {
        assertThat(UsbtmcCodec.nextTag(0)).isEqualTo(1);
        assertThat(UsbtmcCodec.nextTag(254)).isEqualTo(255);
        assertThat(UsbtmcCodec.nextTag(255)).isEqualTo(1);
    }

    @Test
    void repliesThatBreakTheProtocolAreRejectedWithTheReason() {
        byte[] ok = UsbtmcCodec.requestDevDepMsgIn(7, 16, -1); // a header with MsgID 2 and bTag 7

        assertThatThrownBy(() -> UsbtmcCodec.parseIn(ok, 11, 7, 16)).hasMessageContaining("no USBTMC header");
        assertThatThrownBy(() -> UsbtmcCodec.parseIn(ok, 12, 8, 16)).hasMessage("reply bTag 7/248, expected 8/247");
        byte[] badInverse = ok.clone();
        badInverse[2] = 0;
        assertThatThrownBy(() -> UsbtmcCodec.parseIn(badInverse, 12, 7, 16)).hasMessageContaining("bTag 7/0");
        byte[] wrongId = ok.clone();
        wrongId[0] = 1;
        assertThatThrownBy(() -> UsbtmcCodec.parseIn(wrongId, 12, 7, 16)).hasMessageContaining("MsgID 1");
        assertThatThrownBy(() -> UsbtmcCodec.parseIn(ok, 12, 7, 8)).hasMessage("reply TransferSize 16 exceeds the 8 requested");
    }

    @Test
    void scpiNumbersAndOverloads() {
        assertThat(UsbtmcCodec.scpiNumber("+1.23456789E+00\n")).isEqualTo(1.23456789);
        assertThat(UsbtmcCodec.scpiNumber("+0,\"No error\"")).isEqualTo(0.0);
        assertThat(UsbtmcCodec.scpiNumber("Rigol Technologies,DM3058")).isNull();
        assertThat(UsbtmcCodec.isScpiOverload(UsbtmcCodec.scpiNumber("+9.90000000E+37"))).isTrue();
        assertThat(UsbtmcCodec.isScpiOverload(-9.91e37)).isTrue();
        assertThat(UsbtmcCodec.isScpiOverload(1e30)).isFalse();
        assertThat(UsbtmcCodec.scpiNumber("NaN")).as("for the poller to reject").isNaN();
        assertThat(UsbtmcCodec.scpiNumber("-1E999")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aQueryMayCarryTheRangeItsMeasurementCanTake() {
        List<ScpiQuery> q = ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC? -> voltage V", "1.min", "-1000", "1.max",
                "1000", "2", "MEAS:CURR:DC? -> current A", "2.max", "10"));

        assertThat(q).containsExactly(new ScpiQuery("MEAS:VOLT:DC?", "voltage", "V", -1000, 1000),
                new ScpiQuery("MEAS:CURR:DC?", "current", "A", Double.NEGATIVE_INFINITY, 10));
        assertThat(q.get(1).accepts(-3)).isTrue();
        assertThat(q.get(1).accepts(10.5)).isFalse();
        assertThat(q.get(1).accepts(Double.NaN)).isFalse();
        assertThat(new ScpiQuery("X?", "x", "1").accepts(Double.POSITIVE_INFINITY)).isFalse();
    }

    @Test
    void mistakesInAQuerysRangeAreNamed() {
        assertThatThrownBy(() -> ScpiQuery.parse(Map.of("1", "X? -> x", "2.max", "3")))
                .hasMessage("scpi.2.max: there is no scpi.2");
        assertThatThrownBy(() -> ScpiQuery.parse(Map.of("1", "X? -> x", "1.max", "lots")))
                .hasMessage("scpi.1.max = lots is not a number");
        assertThatThrownBy(() -> ScpiQuery.parse(Map.of("1", "X? -> x", "1.min", "3", "1.max", "2")))
                .hasMessage("scpi.1.min is above scpi.1.max");
        assertThatThrownBy(() -> ScpiQuery.parse(Map.of("1", "X? -> x", "1.unit", "V")))
                .hasMessage("scpi.1.unit: unknown key (scpi.N, scpi.N.min or scpi.N.max)");
    }

    @Test
    void capabilitiesOfAUsb488ScpiInstrument() {
        byte[] r = new byte[24];
        r[0] = 1;
        r[3] = 1;
        r[5] = 1;
        r[13] = 1;
        r[15] = 0x0F;

        assertThat(Capabilities.parse(r, 24)).hasToString("USBTMC 1.00, USB488, SCPI, TermChar");
        assertThatThrownBy(() -> Capabilities.parse(new byte[24], 24)).hasMessageContaining("status 0x00");
    }

    @Test
    void pollerQueriesFromTheDeviceSettings() {
        assertThat(ScpiQuery.parse(Map.of("2", "MEAS:CURR:DC? -> current A", "1", "MEAS:VOLT:DC? -> voltage V",
                "10", "SYST:TEMP? -> temperature")))
                .containsExactly(new ScpiQuery("MEAS:VOLT:DC?", "voltage", "V"), new ScpiQuery("MEAS:CURR:DC?", "current", "A"),
                        new ScpiQuery("SYST:TEMP?", "temperature", "1"));
        assertThatThrownBy(() -> ScpiQuery.parse(Map.of("1", "MEAS:VOLT:DC?"))).hasMessageContaining("scpi.1 = MEAS:VOLT:DC?");
    }

    @Test
    void garbageRepliesNeverThrowAnythingButTheirReason() {
        Random random = new Random(8);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] r = new byte[random.nextInt(40)];
            random.nextBytes(r);
            if (r.length >= 3 && random.nextBoolean()) {
                r[0] = 2;
                r[1] = 5;
                r[2] = (byte) ~5;
            }
            try {
                UsbtmcCodec.InHeader h = UsbtmcCodec.parseIn(r, random.nextInt(r.length + 1), 5, 1024);
                assertThat(h.transferSize()).isBetween(0, 1024);
                accepted++;
            } catch (IllegalStateException e) {
                rejected++;
            }
            UsbtmcCodec.scpiNumber(new String(r, StandardCharsets.ISO_8859_1));
        }
        assertThat(accepted + rejected).isEqualTo(100_000);
        assertThat(rejected).isPositive();
    }
}
