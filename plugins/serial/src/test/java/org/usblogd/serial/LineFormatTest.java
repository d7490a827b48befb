package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            for (int i = 0; i < 100_000; i++) {
                char[] c = new char[random.nextInt(40)];
                for (int j = 0; j < c.length; j++) {
                    c[j] = "0123456789.,;=:-eET t\u00e9x\u0000".charAt(random.nextInt(22));
                }
                if (!f.parse(new String(c)).isEmpty()) {
                    withValues++;
                }
            }
            assertThat(withValues + f.bad()).isEqualTo(100_000);
            assertThat(f.bad()).isPositive();
        }
    }
}
