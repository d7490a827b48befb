package org.usblogd.temper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.temper.twin.TemperTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

class TemperDecoderTest {
    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    private static List<TemperDecoder.Reading> decode(String firmware, String vidPid, String reply) {
        return new TemperDecoder(TemperVariant.of(firmware, vidPid)).decode(hex(reply), 8);
    }

    @Test
    void temper2V13HasTwoFm75Probes() {
        assertThat(decode("TEMPer2V1.3", "0c45:7401", "80 04 1D 10 1D 60 32 46")).containsExactly(
                new TemperDecoder.Reading("temperature", 29.0625), new TemperDecoder.Reading("probe_temperature", 29.375));
    }

    @Test
    void temperHumV38ScalesBothValuesByAHundred() {
        assertThat(decode("TEMPerHUM_V3.8", "1a86:e025", "80 20 09 01 11 93 00 00")).containsExactly(
                new TemperDecoder.Reading("temperature", 23.05), new TemperDecoder.Reading("humidity", 44.99));
    }

    @Test
    void everyFirmwareOfTheDocumentedFamiliesGetsItsScaling() {
        assertThat(TemperVariant.of("TEMPerV1.4", "0c45:7401").scaling()).isEqualTo(TemperVariant.Scaling.FM75);
        assertThat(TemperVariant.of("TEMPerF1.4", "0c45:7401").scaling()).isEqualTo(TemperVariant.Scaling.FM75);
        assertThat(TemperVariant.of("TEMPerGold_V3.1", "413d:2107").scaling()).isEqualTo(TemperVariant.Scaling.CENTI);
        assertThat(TemperVariant.of("TEMPerX_V3.3", "413d:2107").second()).isEqualTo(TemperVariant.Second.PROBE);
        assertThat(TemperVariant.of("TEMPerGold_V3.4", "1a86:e025").second()).isEqualTo(TemperVariant.Second.NONE);
        assertThat(TemperVariant.of("TEMPerHUM_V3.9", "1a86:e025").second()).isEqualTo(TemperVariant.Second.HUMIDITY);
        assertThat(TemperVariant.of("TEMPer2_V3.7", "1a86:e025").second()).isEqualTo(TemperVariant.Second.PROBE);
        assertThat(TemperVariant.of("TEMPerGold_V3.5", "3553:a001").scaling()).isEqualTo(TemperVariant.Scaling.CENTI);
        assertThat(TemperVariant.of("TEMPerHUM_V4.1", "3553:a001").scaling()).isEqualTo(TemperVariant.Scaling.CENTI);
        assertThat(TemperVariant.of("TEMPerHUM1V1.3", "0c45:7402").scaling()).isEqualTo(TemperVariant.Scaling.SI7021);
    }

    @Test
    void si7021Formulas() {
        TemperVariant si = TemperVariant.of("TEMPerHUM1V1.3", "0c45:7402");

        assertThat(si.temperature(0x6666)).isCloseTo(23.43, org.assertj.core.data.Offset.offset(0.01));
        assertThat(si.humidity(0x7AE1)).isCloseTo(54.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void withoutAFirmwareStringTheIdsDecide() {
        assertThat(TemperVariant.of("", "0c45:7401").scaling()).isEqualTo(TemperVariant.Scaling.FM75);
        assertThat(TemperVariant.of(null, "0c45:7402").second()).isEqualTo(TemperVariant.Second.HUMIDITY);
        assertThat(TemperVariant.of("", "413d:2107").firmware()).isEqualTo("unknown (413d:2107)");
    }

    @Test
    void noSensorIsNotAValue() {
        TemperDecoder d = new TemperDecoder(TemperVariant.of("TEMPer2_V3.7", "1a86:e025"));

        assertThat(d.decode(TemperTwin.sensorReply(TemperTwin.Scale.CENTI, 20.5, TemperTwin.Second.MISSING, 0), 8))
                .containsExactly(new TemperDecoder.Reading("temperature", 20.5));
        assertThat(d.missing()).isEqualTo(1);
    }

    @Test
    void negativeTemperaturesAreSigned() {
        assertThat(decode("TEMPerGold_V3.1", "413d:2107", "80 02 FC 18 00 00 00 00"))
                .containsExactly(new TemperDecoder.Reading("temperature", -10.0));
    }

    @Test
    void shortAndForeignRepliesAreCounted() {
        TemperDecoder d = new TemperDecoder(TemperVariant.of("TEMPerHUM_V3.8", "1a86:e025"));

        assertThat(d.decode(hex("80 20 09"), 3)).isEmpty();
        assertThat(d.decode(hex("54 45 4D 50 65 72 47 6F"), 8)).as("a firmware part").isEmpty();
        assertThat(d.decode(hex("80 20 09 01 11 93 00 00"), 4)).as("no humidity in 4 bytes")
                .containsExactly(new TemperDecoder.Reading("temperature", 23.05));
        assertThat(d.bad()).isEqualTo(2);
    }

    @Test
    void garbageNeverThrowsAndEveryReplyIsEitherDecodedOrCounted() {
        Random random = new Random(3);
        for (String firmware : new String[] { "TEMPer2V1.3", "TEMPerHUM_V3.8", "TEMPerHUM1V1.3", "TEMPerGold_V3.1" }) {
            TemperDecoder d = new TemperDecoder(TemperVariant.of(firmware, "0c45:7401"));
            long withReadings = 0;
            long empty = 0;
            for (int i = 0; i < 100_000; i++) {
                byte[] reply = new byte[random.nextInt(10)];
                random.nextBytes(reply);
                if (reply.length > 0 && random.nextBoolean()) {
                    reply[0] = (byte) 0x80;
                }
                if (d.decode(reply, random.nextInt(reply.length + 1)).isEmpty()) {
                    empty++;
                } else {
                    withReadings++;
                }
            }
            assertThat(withReadings + empty).isEqualTo(100_000);
            assertThat(d.bad()).as(firmware).isPositive().isLessThanOrEqualTo(empty);
        }
    }

    @Test
    void repliesWithTemperaturesNoSensorCanMeasureAreCountedNotStored() {
        TemperDecoder fm75 = new TemperDecoder(TemperVariant.of("TEMPer2V1.3", "0c45:7401"));
        TemperDecoder centi = new TemperDecoder(TemperVariant.of("TEMPer2_V3.7", "1a86:e025"));

        assertThat(fm75.decode(hex("80 04 7F FF 80 00 00 00"), 8)).as("127.996 and -128 °C").isEmpty();
        assertThat(centi.decode(hex("80 04 7F FF 1D 60 00 00"), 8)).as("327.67 °C beside 75.2 °C")
                .containsExactly(new TemperDecoder.Reading("probe_temperature", 75.2));
        assertThat(centi.decode(hex("80 04 EA 84 30 D4 00 00"), 8)).as("-55 and 125 °C are in range").hasSize(2);

        assertThat(fm75.implausible()).isEqualTo(2);
        assertThat(fm75.lastImplausible()).isEqualTo("probe_temperature -128 °C (possible: -55 to 125 °C)");
        assertThat(centi.implausible()).isEqualTo(1);
        assertThat(fm75.bad() + centi.bad()).isZero();
    }

    @Test
    void si7021ReadingsBeyondItsRangeAreCountedAndTheSlightlyBeyondAreTakenAsTheEnds() {
        TemperDecoder d = new TemperDecoder(TemperVariant.of("TEMPerHUM1V1.3", "0c45:7402"));

        assertThat(d.decode(hex("80 02 00 00 FF FF 00 00"), 8)).as("-46.85 °C and 119 %RH").isEmpty();
        assertThat(d.decode(hex("80 02 66 66 00 00 00 00"), 8)).as("-6 %RH")
                .containsExactly(new TemperDecoder.Reading("temperature", 23.4369));
        assertThat(d.implausible()).isEqualTo(3);
        // 0xD5C2 is 98.37 %RH; 0xD9A0 (100.26 %RH) and 0x0A3D (-1 %RH) are within the sensor's accuracy
        assertThat(d.decode(hex("80 02 66 66 D9 A0 00 00"), 8)).contains(new TemperDecoder.Reading("humidity", 100.0));
        assertThat(d.decode(hex("80 02 66 66 0A 3D 00 00"), 8)).contains(new TemperDecoder.Reading("humidity", 0.0));
        assertThat(d.decode(hex("80 02 66 66 D5 C2 00 00"), 8)).contains(new TemperDecoder.Reading("humidity", 98.3739));
        assertThat(d.implausible()).isEqualTo(3);
    }

    @Test
    void humidityOfTheCentiFamiliesBeyondAHundredPercentIsCountedNotStored() {
        TemperDecoder d = new TemperDecoder(TemperVariant.of("TEMPerHUM_V3.8", "1a86:e025"));

        assertThat(d.decode(hex("80 20 09 01 27 11 00 00"), 8)).as("100.01 %RH")
                .containsExactly(new TemperDecoder.Reading("temperature", 23.05));
        assertThat(d.decode(hex("80 20 09 01 FF 9C 00 00"), 8)).as("-1 %RH").hasSize(1);
        assertThat(d.implausible()).isEqualTo(2);
        assertThat(d.lastImplausible()).isEqualTo("humidity -1 %RH (possible: 0 to 100 %RH)");
    }

    @Test
    void theSessionStoresNoneOfTheImpossibleValuesAndSaysSo() throws Exception {
        ScriptedLink link = new ScriptedLink(TemperTwin.gold(1).info()).then(hex("54 45 4D 50 65 72 47 6F"),
                hex("6C 64 5F 56 33 2E 31 20"), hex("80 02 00 00 00 00 00 00"), hex("80 02 7F FF 00 00 00 00"),
                hex("80 02 08 34 00 00 00 00"), hex("80 02 80 01 00 00 00 00"));
        RecordingSink sink = new RecordingSink();
        TemperSession session = TemperSession.open(link, sink, 10);

        for (int i = 0; i < 3; i++) {
            session.poll();
        }

        assertThat(sink.events("temper.firmware")).first().asString().startsWith("TEMPerGold_V3.1");
        assertThat(sink.samples).extracting(RecordingSink.Sample::value).containsExactly(21.0);
        assertThat(sink.events("decode.implausible")).containsExactly("1 value(s) the sensors cannot measure were"
                + " dropped; the last: temperature 327.67 °C (possible: -55 to 125 °C)");
    }
}
