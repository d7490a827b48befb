package org.usblogd.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.scale.twin.ScaleTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

class ScaleDecoderTest {
    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    @Test
    void decodesTheDocumentedReportsOfAnM25() {
        ScaleDecoder d = new ScaleDecoder(ScaleDecoder.Model.M25);

        assertThat(d.decode(hex("03 02 0B FF 00 00"), 6))
                .isEqualTo(new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE_ZERO, "oz", 0.0));
        assertThat(d.decode(hex("03 04 0B FF 34 19"), 6))
                .isEqualTo(new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE, "oz", 645.2));
    }

    @Test
    void gramsKilogramsAndPoundsWithTheirExponents() {
        ScaleDecoder d = new ScaleDecoder(ScaleDecoder.Model.M25);

        assertThat(d.decode(hex("04 04 02 00 73 47"), 6).weight()).isEqualTo(18291.0);
        assertThat(d.decode(hex("03 04 03 FD 73 47"), 6)).isEqualTo(
                new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE, "kg", 18.291));
        assertThat(d.decode(hex("03 04 0C FD 10 27"), 6)).isEqualTo(
                new ScaleDecoder.Reading(ScaleDecoder.Status.STABLE, "lb", 10.0));
    }

    @Test
    void faultsAreStatusesThatCarryNoWeight() {
        ScaleDecoder d = new ScaleDecoder(ScaleDecoder.Model.M25);

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
        ScaleDecoder d = new ScaleDecoder(ScaleDecoder.Model.M25);

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
        ScaleDecoder d = new ScaleDecoder(ScaleDecoder.Model.M25);
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
        assertThat(decoded + d.bad() + d.implausible()).isEqualTo(100_000);
        assertThat(d.bad()).isPositive();
    }

    @Test
    void wellFormedReportsOfWeightsBeyondTheScalesCapacityAreCountedNotStored() {
        ScaleDecoder m10 = new ScaleDecoder(ScaleDecoder.Model.M10);
        ScaleDecoder m25 = new ScaleDecoder(ScaleDecoder.Model.M25);

        assertThat(m10.decode(hex("03 04 0B FF 34 19"), 6)).as("40 lb 5.2 oz on a 10 kg scale").isNull();
        assertThat(m10.decode(hex("03 04 02 00 73 47"), 6)).as("18291 g").isNull();
        assertThat(m10.decode(hex("03 04 0B FF C7 0D"), 6)).as("352.7 oz, its capacity").isNotNull();
        assertThat(m25.decode(hex("03 04 0B FF 34 19"), 6)).as("the same parcel on a 25 kg scale").isNotNull();
        assertThat(m25.decode(hex("03 04 03 06 FF FF"), 6)).as("65535·10⁶ kg").isNull();
        assertThat(m25.decode(hex("03 04 0C 00 38 00"), 6)).as("56 lb").isNull();
        assertThat(m25.decode(hex("03 03 0C 00 38 00"), 6)).as("in motion: not stored, not judged").isNotNull();

        assertThat(m10.implausible()).isEqualTo(2);
        assertThat(m10.lastImplausible()).isEqualTo("18291 g on M10 (capacity 10 kg)");
        assertThat(m25.implausible()).isEqualTo(2);
        assertThat(m10.bad() + m25.bad()).isZero();
    }

    @Test
    void theModelComesFromTheProductId() {
        assertThat(ScaleDecoder.Model.of("0922:8003")).isEqualTo(ScaleDecoder.Model.M10);
        assertThat(ScaleDecoder.Model.of("0922:8004")).isEqualTo(ScaleDecoder.Model.M25);
    }

    @Test
    void theSessionStoresNoneOfTheImpossibleWeightsAndSaysSo() throws Exception {
        ScriptedLink link = new ScriptedLink(new ScaleTwin(1).info()).then(hex("03 04 02 00 10 00"),
                hex("03 04 0B FF 34 19"), hex("03 04 02 00 D2 04"), hex("03 04 02 00 73 47"));
        RecordingSink sink = new RecordingSink();
        ScaleSession session = ScaleSession.open(link, sink, 1_000);

        for (int i = 0; i < 4; i++) {
            session.poll();
        }

        assertThat(sink.samples).extracting(RecordingSink.Sample::value).containsExactly(1234.0);
        assertThat(sink.events("decode.implausible")).containsExactly("1 weight(s) beyond the scale's capacity were"
                + " dropped; the last: 645.2 oz on M10 (capacity 10 kg)");
    }
}
