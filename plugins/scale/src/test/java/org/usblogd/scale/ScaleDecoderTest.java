package org.usblogd.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ScaleDecoderTest {
    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    @Test
    void decodesTheDocumentedReports() {
        ScaleDecoder d = new ScaleDecoder();

        assertThat(d.decode(hex("03 02 0B FF 00 00"), 6))
                .isEqualTo(new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE_ZERO, "oz", 0.0));
        assertThat(d.decode(hex("03 04 0B FF 34 19"), 6))
                .isEqualTo(new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE, "oz", 645.2));
    }

    @Test
    void gramsKilogramsAndPoundsWithTheirExponents() {
        ScaleDecoder d = new ScaleDecoder();

        assertThat(d.decode(hex("04 04 02 00 73 47"), 6).weight()).isEqualTo(18291.0);
        assertThat(d.decode(hex("03 04 03 FD 73 47"), 6)).isEqualTo(
                new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE, "kg", 18.291));
        assertThat(d.decode(hex("03 04 0C FE 10 27"), 6).unit()).isEqualTo("lb");
    }

    @Test
    void faultsAreStatusesThatCarryNoWeight() {
        ScaleDecoder d = new ScaleDecoder();

        for (String report : new String[] { "03 01 02 00 00 00", "03 05 02 00 00 00", "03 06 02 00 00 00",
            "03 07 02 00 00 00", "03 08 02 00 00 00" }) {
            ScaleDecoder.Reading r = d.decode(hex(report), 6);
            assertThat(r.status().isFault()).as(report).isTrue();
            assertThat(r.status().weighs()).isFalse();
        }
        assertThat(d.decode(hex("03 03 02 00 10 00"), 6).status().weighs()).as("in motion").isFalse();
    }

    @Test
    void shortOrUnknownReportsAreCounted() {
        ScaleDecoder d = new ScaleDecoder();

        assertThat(d.decode(hex("03 04 0B FF 34"), 5)).isNull();
        assertThat(d.decode(hex("03 04 0B FF 34 19"), 4)).isNull();
        assertThat(d.decode(hex("05 04 0B FF 34 19"), 6)).as("report id").isNull();
        assertThat(d.decode(hex("03 09 0B FF 34 19"), 6)).as("status").isNull();
        assertThat(d.decode(hex("03 04 0D FF 34 19"), 6)).as("unit").isNull();
        assertThat(d.decode(hex("03 04 0B 40 34 19"), 6)).as("exponent").isNull();
        assertThat(d.bad()).isEqualTo(6);
    }

    @Test
    void garbageNeverThrowsAndEveryReportIsEitherDecodedOrCounted() {
        ScaleDecoder d = new ScaleDecoder();
        Random random = new Random(5);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] report = new byte[random.nextInt(9)];
            random.nextBytes(report);
            if (report.length > 0 && random.nextBoolean()) {
                report[0] = 3; // reach the deeper checks too
            }
            if (d.decode(report, random.nextInt(report.length + 1)) != null) {
                decoded++;
            }
        }
        assertThat(decoded + d.bad()).isEqualTo(100_000);
        assertThat(d.bad()).isPositive();
    }
}
