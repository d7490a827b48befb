package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

/** The times --since, --from and --to take: absolute ones in UTC unless they say otherwise, and relative ones. */
class TimeArgumentTest {
    private static final Instant NOW = Instant.parse("2026-12-01T13:47:12.345Z");
    private final TimeArgument time = new TimeArgument(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void isoTimesWithAnOffsetMeanThatInstant() {
        assertThat(time.convert("2026-11-25T10:00:00Z")).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(time.convert("2026-11-25T11:00:00+01:00")).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(time.convert("2026-11-25T10:00:00.250Z")).isEqualTo("2026-11-25T10:00:00.250Z");
    }

    @Test
    void timesWithoutAnOffsetAreUtcWithATOrASpace() {
        assertThat(time.convert("2026-11-25T10:00")).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(time.convert("2026-12-01 13:05")).isEqualTo("2026-12-01T13:05:00Z");
        assertThat(time.convert("2026-12-01 13:05:30")).isEqualTo("2026-12-01T13:05:30Z");
        assertThat(time.convert("2026-11-25")).isEqualTo("2026-11-25T00:00:00Z");
    }

    @Test
    void relativeTimesCountBackFromNow() {
        assertThat(time.convert("-30m")).isEqualTo("2026-12-01T13:17:12.345Z");
        assertThat(time.convert("-1h")).isEqualTo("2026-12-01T12:47:12.345Z");
        assertThat(time.convert("-90s")).isEqualTo("2026-12-01T13:45:42.345Z");
        assertThat(time.convert("-2d")).isEqualTo("2026-11-29T13:47:12.345Z");
        assertThat(time.convert("-1w")).isEqualTo("2026-11-24T13:47:12.345Z");
        assertThat(time.convert("now")).isEqualTo(NOW);
        assertThat(time.convert("today")).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(time.convert("yesterday")).isEqualTo("2026-11-30T00:00:00Z");
    }

    @Test
    void anythingElseIsRefusedNamingTheFormsThatWork() {
        for (String wrong : new String[] { "1h", "-1y", "-h", "2026-13-01", "yesterday 10:00", "tomorrow", "" }) {
            assertThatThrownBy(() -> time.convert(wrong)).as(wrong).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + wrong + "' is not a time (").hasMessageContaining("-1h, -2d, today");
        }
    }
}
