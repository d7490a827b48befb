package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The columns of `usblogd devices`: as wide as their content, no trailing blanks, counts right-aligned. */
class TextTableTest {
    @Test
    void eachColumnIsAsWideAsItsWidestCellOrHeaderAndCountsAlignOnTheRight() {
        TextTable t = new TextTable(List.of("DEVICE", "STATE", "SAMPLES", "WHY"), Set.of(2));
        t.add(List.of("04d9:a052:ABC123", "logging", "1234567", "co2mon: score 100"));
        t.add(Arrays.asList("16c0:05dc@1-1.4", "no driver", "0", null));

        assertThat(print(t)).containsExactly(
                "DEVICE            STATE      SAMPLES  WHY",
                "04d9:a052:ABC123  logging    1234567  co2mon: score 100",
                "16c0:05dc@1-1.4   no driver        0  -");
    }

    @Test
    void aTableOfShortCellsIsNarrowAndNoLineEndsInBlanks() {
        TextTable t = new TextTable(List.of("DEVICE", "CHANNEL", "UNIT"), Set.of());
        t.add(List.of("a", "co2", "ppm"));
        t.add(List.of("a", "temperature", "°C"));

        List<String> lines = print(t);
        assertThat(lines).containsExactly(
                "DEVICE  CHANNEL      UNIT",
                "a       co2          ppm",
                "a       temperature  °C");
        assertThat(lines).noneMatch(l -> l.endsWith(" "));
    }

    @Test
    void aHeaderAloneWhenThereAreNoRows() {
        assertThat(print(new TextTable(List.of("DEVICE", "STATE"), Set.of()))).containsExactly("DEVICE  STATE");
    }

    private static List<String> print(TextTable t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
