package org.usblogd.hid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.hid.twin.DiySensorTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

class ReportFieldsTest {
    private static Map<String, Object> props(String... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static final Map<String, Object> WEATHER = props("report.id", "1",
            "field.temperature.offset", "1", "field.temperature.length", "2", "field.temperature.signed", "true",
            "field.temperature.scale", "0.01", "field.temperature.unit", "°C",
            "field.pressure.offset", "3", "field.pressure.length", "2", "field.pressure.endian", "big",
            "field.pressure.scale", "0.1", "field.pressure.unit", "hPa",
            "field.battery.offset", "5", "field.battery.unit", "%");

    @Test
    void decodesEachConfiguredFieldOfAReport() {
        ReportFields f = ReportFields.parse(WEATHER);

        assertThat(f.decode(DiySensorTwin.report(-7.25, 1013.2, 87), 8)).containsExactly(
                new ReportFields.Value("battery", 87), new ReportFields.Value("pressure", 1013.2),
                new ReportFields.Value("temperature", -7.25));
    }

    @Test
    void reportsOfAnotherIdOrTooShortAreCounted() {
        ReportFields f = ReportFields.parse(WEATHER);

        assertThat(f.decode(new byte[] { 2, 0x55, 0x55, 0x55, 0x55, 0x55, 0, 0 }, 8)).isEmpty();
        assertThat(f.decode(DiySensorTwin.report(20, 1000, 50), 5)).isEmpty();
        assertThat(f.bad()).isEqualTo(2);
    }

    @Test
    void wideSignedAndOffsetFields() {
        ReportFields f = ReportFields.parse(Map.of("field.x.offset", "0", "field.x.length", "4", "field.x.signed",
                "true", "field.x.endian", "big", "field.x.add", "-273.15", "field.x.scale", "0.001"));

        assertThat(f.decode(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFC, 0x18 }, 4))
                .containsExactly(new ReportFields.Value("x", -274.15));
    }

    @Test
    void signedIsTrueOrFalseAndYesIsRefusedRatherThanMeaningUnsigned() {
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.x.offset", "0", "field.x.signed", "yes")))
                .hasMessage("field.x.signed=yes: true or false");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.x.offset", "0", "report.id", "one")))
                .hasMessage("report.id = one: a byte, 0 to 255 or 0x00 to 0xff");
    }

    @Test
    void mistakesInTheFileAreNamed() {
        assertThatThrownBy(() -> ReportFields.parse(Map.of("match.vid", "1209"))).hasMessageContaining("no field");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.length", "2")))
                .hasMessage("field.t.offset is missing");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.length", "9")))
                .hasMessage("field.t.length=9: a whole number from 1 to 8");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.endian", "middle")))
                .hasMessageContaining("big or little");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.scal", "2")))
                .hasMessage("field.t.scal: unknown key");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.scale", "x")))
                .hasMessage("field.t.scale=x: a number");
    }

    @Test
    void garbageNeverThrowsAndEveryReportIsEitherDecodedOrCounted() {
        Map<String, Object> props = new HashMap<>(WEATHER);
        ReportFields f = ReportFields.parse(props);
        Random random = new Random(1);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] r = new byte[random.nextInt(12)];
            random.nextBytes(r);
            if (r.length > 0 && random.nextBoolean()) {
                r[0] = 1;
            }
            List<ReportFields.Value> v = f.decode(r, random.nextInt(r.length + 1));
            if (!v.isEmpty()) {
                decoded++;
            }
        }
        assertThat(decoded + f.bad()).isEqualTo(100_000);
        assertThat(decoded).isPositive();
        assertThat(f.bad()).isPositive();
    }

    private static final Map<String, Object> WEATHER_WITH_RANGES = new HashMap<>(WEATHER);

    static {
        WEATHER_WITH_RANGES.putAll(props("field.temperature.min", "-40", "field.temperature.max", "85",
                "field.pressure.min", "300", "field.pressure.max", "1100", "field.battery.max", "100"));
    }

    @Test
    void wellFormedReportsWithValuesOutsideTheirFieldsRangeAreCountedNotKept() {
        ReportFields f = ReportFields.parse(WEATHER_WITH_RANGES);

        assertThat(f.decode(new byte[] { 1, (byte) 0xFF, 0x7F, 0x27, (byte) 0x94, (byte) 200, 0, 0 }, 8))
                .as("327.67 °C (a sensor's no-reading code), 1013.2 hPa, 200 %")
                .containsExactly(new ReportFields.Value("pressure", 1013.2));
        assertThat(f.decode(DiySensorTwin.report(-40, 1100, 100), 8)).as("the ends of the ranges").hasSize(3);
        assertThat(f.decode(DiySensorTwin.report(20, 0, 50), 8)).as("0 hPa")
                .containsExactly(new ReportFields.Value("battery", 50), new ReportFields.Value("temperature", 20));

        assertThat(f.implausible()).isEqualTo(3);
        assertThat(f.lastImplausible()).isEqualTo("pressure 0.0 hPa (configured: 300 to 1100)");
        assertThat(f.bad()).isZero();
    }

    @Test
    void aValueThatIsNoFiniteNumberIsCountedNotKept() {
        ReportFields f = ReportFields.parse(Map.of("field.x.offset", "0", "field.x.length", "8", "field.x.scale", "1e300"));

        assertThat(f.decode(new byte[] { 0x7F, -1, -1, -1, -1, -1, -1, -1 }, 8)).as("1.8e19 · 1e300").isEmpty();
        assertThat(f.implausible()).isEqualTo(1);
        assertThat(f.lastImplausible()).isEqualTo("x Infinity 1 (configured: any to any)");
    }

    @Test
    void largeValuesAreNeitherClippedNorWrappedIntoNegatives() {
        ReportFields f = ReportFields.parse(Map.of("field.x.offset", "0", "field.x.length", "8", "field.y.offset",
                "0", "field.y.length", "4", "field.y.scale", "10"));

        assertThat(f.decode(new byte[] { -1, -1, -1, -1, -1, -1, -1, -1 }, 8)).containsExactly(
                new ReportFields.Value("x", 18_446_744_073_709_551_615.0), new ReportFields.Value("y", 42_949_672_950.0));
    }

    @Test
    void rangesAndFactorsMustBeFiniteNumbers() {
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.min", "cold")))
                .hasMessage("field.t.min=cold: a number");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.scale", "NaN")))
                .hasMessage("field.t.scale=NaN: a number");
        assertThatThrownBy(() -> ReportFields.parse(Map.of("field.t.offset", "0", "field.t.min", "5", "field.t.max", "1")))
                .hasMessage("field.t.min is above field.t.max");
    }

    @Test
    void theSessionStoresNoneOfTheImpossibleValuesAndSaysSo() throws Exception {
        ScriptedLink link = new ScriptedLink(new DiySensorTwin(20_000_000, 1).info()).then(
                new byte[] { 1, (byte) 0xFF, 0x7F, 0x27, (byte) 0x94, 87, 0, 0 }, DiySensorTwin.report(21.5, 1013.2, 87));
        RecordingSink sink = new RecordingSink();
        HidLoggerSession session = HidLoggerSession.open(link, sink, 0, -1, ReportFields.parse(WEATHER_WITH_RANGES));

        session.poll();
        session.poll();

        assertThat(sink.samples("temperature")).extracting(RecordingSink.Sample::value).containsExactly(21.5);
        assertThat(sink.samples("pressure")).extracting(RecordingSink.Sample::value).containsExactly(1013.2, 1013.2);
        assertThat(sink.events("decode.implausible")).containsExactly("1 value(s) outside their field's range were"
                + " dropped; the last: temperature 327.67 °C (configured: -40 to 85)");
    }
}
