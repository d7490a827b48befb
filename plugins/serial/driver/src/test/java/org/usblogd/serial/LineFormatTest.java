package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LineFormatTest {

    @Test
    void csvColumnsInOrderWithSkippedOnes() {
        LineFormat f = LineFormat.parse(Map.of("format", "csv", "csv.columns", "temperature, -, pressure",
                "channel.temperature.unit", "°C", "channel.pressure.unit", "hPa"));

        assertThat(f.channels()).containsEntry("temperature", "°C").containsEntry("pressure", "hPa").hasSize(2);
        assertThat(f.parse("21.50,45.2,1013.2")).containsExactly(new LineFormat.Value("temperature", 21.5),
                new LineFormat.Value("pressure", 1013.2));
        assertThat(f.parse("21.50,n/a")).containsExactly(new LineFormat.Value("temperature", 21.5));
    }

    @Test
    void csvWithAnotherSeparator() {
        LineFormat f = LineFormat.parse(Map.of("csv.columns", "a,b", "csv.separator", ";"));

        assertThat(f.parse("1;2")).containsExactly(new LineFormat.Value("a", 1), new LineFormat.Value("b", 2));
    }

    @Test
    void keyValuePairsOfTheChannelsConfigured() {
        LineFormat f = LineFormat.parse(Map.of("format", "keyvalue", "channel.temp.unit", "°C", "channel.rh.unit",
                "%RH"));

        assertThat(f.parse("temp=19.5;rh=50.1;lux=312")).containsExactlyInAnyOrder(new LineFormat.Value("temp", 19.5),
                new LineFormat.Value("rh", 50.1));
        assertThat(f.parse("temp: -3.5 rh:40")).containsExactlyInAnyOrder(new LineFormat.Value("temp", -3.5),
                new LineFormat.Value("rh", 40));
    }

    @Test
    void aRegexWithNamedGroups() {
        LineFormat f = LineFormat.parse(Map.of("format", "regex", "regex",
                "Temperature: (?<temperature>-?[0-9.]+) C, Pressure: (?<pressure>[0-9.]+) hPa",
                "channel.temperature.unit", "°C", "channel.pressure.unit", "hPa"));

        assertThat(f.parse("Temperature: 18.3 C, Pressure: 1000.4 hPa")).containsExactlyInAnyOrder(
                new LineFormat.Value("temperature", 18.3), new LineFormat.Value("pressure", 1000.4));
        assertThat(f.parse("booting...")).isEmpty();
        assertThat(f.bad()).isEqualTo(1);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> LineFormat.parse(Map.of("format", "xml"))).hasMessageContaining("csv, keyvalue or regex");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("format", "csv"))).hasMessageContaining("csv.columns");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("format", "keyvalue"))).hasMessageContaining("channel.KEY.unit");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("format", "regex", "regex", "(unclosed")))
                .hasMessageStartingWith("regex: ");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("format", "regex", "regex", "T=([0-9]+)")))
                .hasMessageContaining("named group");
    }

    @Test
    void garbageLinesNeverThrowAndAreCounted() {
        Random random = new Random(4);
        for (LineFormat f : new LineFormat[] { LineFormat.parse(Map.of("csv.columns", "a,b,c")),
            LineFormat.parse(Map.of("format", "keyvalue", "channel.t.unit", "°C")),
            LineFormat.parse(Map.of("format", "regex", "regex", "T=(?<t>[-0-9.eE]+)")) }) {
            long withValues = 0;
            long onlyImplausible = 0;
            for (int i = 0; i < 100_000; i++) {
                char[] c = new char[random.nextInt(40)];
                for (int j = 0; j < c.length; j++) {
                    c[j] = "0123456789.,;=:-eET t\u00e9x\u0000".charAt(random.nextInt(22));
                }
                long implausibleBefore = f.implausible();
                List<LineFormat.Value> values = f.parse(new String(c));
                if (values.stream().anyMatch(v -> !Double.isFinite(v.value()))) {
                    throw new AssertionError("kept " + values);
                }
                if (!values.isEmpty()) {
                    withValues++;
                } else if (f.implausible() > implausibleBefore) {
                    onlyImplausible++;
                }
            }
            assertThat(withValues + onlyImplausible + f.bad()).isEqualTo(100_000);
            assertThat(f.bad()).isPositive();
        }
    }

    @Test
    void valuesThatAreNoNumberOrOutsideTheirConfiguredRangeAreCountedNotKept() {
        LineFormat f = LineFormat.parse(Map.of("format", "keyvalue", "channel.T.unit", "°C", "channel.H.unit", "%RH",
                "channel.T.min", "-40", "channel.T.max", "80", "channel.H.min", "0", "channel.H.max", "100"));

        assertThat(f.parse("T=nan H=45.2")).as("a failed sensor read, as Arduino prints it")
                .containsExactly(new LineFormat.Value("H", 45.2));
        assertThat(f.parse("T=-inf H=ovf")).isEmpty();
        assertThat(f.parse("T=1e999 H=45")).as("a float beyond double").containsExactly(new LineFormat.Value("H", 45));
        assertThat(f.parse("T=-273.15 H=45")).containsExactly(new LineFormat.Value("H", 45));
        assertThat(f.parse("T=80 H=100.1")).containsExactly(new LineFormat.Value("T", 80));
        assertThat(f.parse("T=-40 H=0")).hasSize(2);

        assertThat(f.implausible()).isEqualTo(6);
        assertThat(f.lastImplausible()).isEqualTo("H 100.1 (configured: 0 to 100)");
        assertThat(f.bad()).as("every line carried values in the format").isZero();
    }

    @Test
    void csvAndRegexCellsThatAreNoNumberAreCountedToo() {
        LineFormat csv = LineFormat.parse(Map.of("csv.columns", "a, b", "channel.b.max", "10"));
        LineFormat regex = LineFormat.parse(Map.of("format", "regex", "regex", "T=(?<t>\\S+)"));

        assertThat(csv.parse("NaN,11")).isEmpty();
        assertThat(csv.parse("Infinity,9")).containsExactly(new LineFormat.Value("b", 9));
        assertThat(regex.parse("T=inf")).isEmpty();
        assertThat(regex.parse("T=21.5")).containsExactly(new LineFormat.Value("t", 21.5));
        assertThat(csv.implausible() + regex.implausible()).isEqualTo(4);
        assertThat(csv.bad() + regex.bad()).isZero();
    }

    @Test
    void aChannelRangeMustNameAChannelAndHoldNumbers() {
        assertThatThrownBy(() -> LineFormat.parse(Map.of("csv.columns", "a", "channel.x.min", "0")))
                .hasMessage("channel.x.min: the format has no channel x");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("csv.columns", "a", "channel.a.max", "high")))
                .hasMessage("channel.a.max = high is not a number");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("csv.columns", "a", "channel.a.max", "NaN")))
                .hasMessage("channel.a.max = NaN is not a number");
        assertThatThrownBy(() -> LineFormat.parse(Map.of("csv.columns", "a", "channel.a.min", "5", "channel.a.max", "1")))
                .hasMessage("channel.a.min is above channel.a.max");
    }
}
