package org.usblogd.co2mon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.co2mon.twin.Co2MonitorTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

class Co2DecoderTest {
    private static final byte[] ZERO_KEY = new byte[8];

    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    @Test
    void decryptsTheWorkedExampleOfOldFirmware() {
        byte[] raw = hex("6C A4 A2 B6 5D 9A 9C 08");

        assertThat(Co2Codec.decrypt(raw, ZERO_KEY)).isEqualTo(hex("50 04 57 AB 0D 00 00 00"));
        Co2Decoder.Reading r = new Co2Decoder(ZERO_KEY).decode(raw, 8);
        assertThat(r).isEqualTo(new Co2Decoder.Reading("co2", 1111));
    }

    @Test
    void decodesThePlainTemperatureExampleOfNewFirmware() {
        Co2Decoder.Reading r = new Co2Decoder(ZERO_KEY).decode(hex("42 12 69 BD 0D 00 00 00"), 8);

        assertThat(r).isEqualTo(new Co2Decoder.Reading("temperature", 21.4125));
    }

    @Test
    void decodesHumidityFromEitherItemCode() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(Co2MonitorTwin.frame(0x41, 4512), 8)).isEqualTo(new Co2Decoder.Reading("humidity", 45.12));
        assertThat(d.decode(Co2MonitorTwin.frame(0x44, 3000), 8)).isEqualTo(new Co2Decoder.Reading("humidity", 30.0));
    }

    @Test
    void readsBothFirmwaresWithAnyKey() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            byte[] key = new byte[8];
            random.nextBytes(key);
            int co2 = 400 + random.nextInt(5_000);
            byte[] frame = Co2MonitorTwin.frame(0x50, co2);
            Co2Decoder d = new Co2Decoder(key);

            assertThat(d.decode(frame, 8)).as("plain").isEqualTo(new Co2Decoder.Reading("co2", co2));
            assertThat(d.decode(Co2MonitorTwin.encrypt(frame, key), 8)).as("encrypted with key %s",
                    HexFormat.of().formatHex(key)).isEqualTo(new Co2Decoder.Reading("co2", co2));
        }
    }

    @Test
    void rejectsAWrongChecksum() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(hex("50 04 57 AC 0D 00 00 00"), 8)).isNull();
        assertThat(d.bad()).isEqualTo(1);
    }

    @Test
    void rejectsAFrameWithoutTheTerminatingByte() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(hex("50 04 57 AB 0C 00 00 00"), 8)).isNull();
        assertThat(d.bad()).isEqualTo(1);
    }

    @Test
    void rejectsShortReports() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);
        byte[] valid = hex("50 04 57 AB 0D 00 00 00");

        for (int n = 0; n < 8; n++) {
            assertThat(d.decode(valid, n)).as("%d bytes", n).isNull();
        }
        assertThat(d.decode(new byte[3], 8)).as("buffer shorter than claimed").isNull();
        assertThat(d.decode(null, 0)).isNull();
        assertThat(d.bad()).isEqualTo(10);
    }

    @Test
    void dropsTheSpuriousStartUpValue() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(Co2MonitorTwin.frame(0x50, 25_432), 8)).isNull();
        assertThat(d.implausible()).isEqualTo(1);
        assertThat(d.lastImplausible()).isEqualTo("co2 25432 ppm (possible: 0 to 10000 ppm)");
        assertThat(d.decode(Co2MonitorTwin.frame(0x50, 10_000), 8)).isNotNull();
    }

    @Test
    void framesWithValidChecksumsAndImpossibleTemperaturesAreCountedNotStored() {
        byte[] absoluteZero = hex("42 00 00 42 0D 00 00 00"); // raw 0: -273.15 °C
        byte[] topOfTheScale = hex("42 FF FF 40 0D 00 00 00"); // raw 65535: 3822.79 °C
        assertThat(Co2Codec.parse(absoluteZero)).as("checksum valid").isEqualTo(new Co2Codec.Frame(0x42, 0));
        assertThat(Co2Codec.parse(topOfTheScale)).as("checksum valid").isEqualTo(new Co2Codec.Frame(0x42, 0xFFFF));
        byte[] key = hex("C4 C6 C0 92 40 23 DC 96");
        Co2Decoder d = new Co2Decoder(key);

        assertThat(d.decode(absoluteZero, 8)).isNull();
        assertThat(d.decode(topOfTheScale, 8)).isNull();
        assertThat(d.decode(Co2MonitorTwin.encrypt(absoluteZero, key), 8)).as("old firmware").isNull();
        assertThat(d.decode(Co2MonitorTwin.encrypt(topOfTheScale, key), 8)).as("old firmware").isNull();

        assertThat(d.implausible()).isEqualTo(4);
        assertThat(d.lastImplausible()).isEqualTo("temperature 3822.7875 °C (possible: -20 to 60 °C)");
        assertThat(d.bad()).isZero();

        assertThat(d.decode(Co2MonitorTwin.frame(0x42, 4051), 8)).as("just inside the monitor's range")
                .isEqualTo(new Co2Decoder.Reading("temperature", -19.9625));
        assertThat(d.decode(Co2MonitorTwin.frame(0x42, 4050), 8)).as("just outside").isNull();
    }

    @Test
    void theSessionStoresNoneOfTheImpossibleTemperaturesAndSaysSo() throws Exception {
        ScriptedLink link = new ScriptedLink(new Co2MonitorTwin(Co2MonitorTwin.Firmware.NEW_PLAIN, 1, true, 1).info())
                .then(hex("42 00 00 42 0D 00 00 00"), Co2MonitorTwin.frame(0x42, 4713), hex("42 FF FF 40 0D 00 00 00"));
        RecordingSink sink = new RecordingSink();
        Co2Session session = Co2Session.open(link, sink, ZERO_KEY);

        for (int i = 0; i < 3; i++) {
            session.poll();
        }

        assertThat(sink.samples).extracting(RecordingSink.Sample::value).containsExactly(21.4125);
        assertThat(sink.events("decode.implausible")).as("the first, then every thousandth")
                .containsExactly("1 value(s) the monitor cannot measure were dropped; the last: temperature -273.15 °C"
                        + " (possible: -20 to 60 °C)");
    }

    @Test
    void humidityAboveAHundredPercentIsCountedNotStored() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(Co2MonitorTwin.frame(0x41, 10_001), 8)).isNull();
        assertThat(d.decode(Co2MonitorTwin.frame(0x44, 0xFFFF), 8)).isNull();
        assertThat(d.decode(Co2MonitorTwin.frame(0x41, 10_000), 8)).isEqualTo(new Co2Decoder.Reading("humidity", 100.0));
        assertThat(d.implausible()).isEqualTo(2);
        assertThat(d.ignored()).isZero();
    }

    @Test
    void implausibleValuesAreReportedTheFirstTimeAndThenEveryThousand() {
        assertThat(Co2Session.due(0, 1)).isTrue();
        assertThat(Co2Session.due(1, 2)).isFalse();
        assertThat(Co2Session.due(999, 1_000)).isTrue();
        assertThat(Co2Session.due(998, 1_001)).as("a jump across a thousand").isTrue();
        assertThat(Co2Session.due(1_000, 1_000)).as("nothing new").isFalse();
    }

    @Test
    void ignoresUnknownItemsAndHumidityOfUnitsWithoutTheSensor() {
        Co2Decoder d = new Co2Decoder(ZERO_KEY);

        assertThat(d.decode(Co2MonitorTwin.frame(0x6D, 1234), 8)).isNull();
        assertThat(d.decode(Co2MonitorTwin.frame(0x41, 0), 8)).isNull();
        assertThat(d.ignored()).isEqualTo(2);
        assertThat(d.bad()).isZero();
    }

    @Test
    void survivesOneHundredThousandRandomAndTruncatedReports() {
        Random random = new Random(42);
        byte[] key = new byte[8];
        random.nextBytes(key);
        Co2Decoder d = new Co2Decoder(key);
        int readings = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] report = new byte[random.nextInt(12)];
            random.nextBytes(report);
            int claimed = random.nextInt(report.length + 1);
            Co2Decoder.Reading r = d.decode(report, claimed);
            if (r != null) {
                readings++;
                assertThat(r.value()).isFinite();
            }
        }
        assertThat(d.bad() + d.implausible() + d.ignored() + readings).isEqualTo(100_000);
        assertThat(d.bad()).isGreaterThan(99_000);
    }
}
