package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LineSettingsTest {

    @Test
    void defaultsAre115200EightNoneOneWithDtrAndRts() {
        LineSettings s = LineSettings.parse(Map.of());

        assertThat(s).hasToString("115200 8N1 DTR RTS");
        assertThat(HexFormat.ofDelimiter(" ").formatHex(CdcAcmChip.lineCoding(s))).isEqualTo("00 c2 01 00 00 00 08");
        assertThat(Cp210xChip.lineControl(s)).isEqualTo(0x0800);
    }

    @Test
    void twelveHundredBaudIsRefusedBecauseItRebootsBoardsIntoTheirBootloader() {
        assertThatThrownBy(() -> LineSettings.parse(Map.of("baud", "1200")))
                .hasMessageStartingWith("baud = 1200 is refused: opening an Arduino or Raspberry Pi Pico at 1200 baud"
                        + " reboots it into its bootloader");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> LineSettings.parse(Map.of("baud", "fast"))).hasMessage("baud = fast is not a whole number");
        assertThatThrownBy(() -> LineSettings.parse(Map.of("parity", "sometimes"))).hasMessageContaining("none, odd");
        assertThatThrownBy(() -> LineSettings.parse(Map.of("stop.bits", "3"))).hasMessageContaining("1, 1.5 or 2");
        assertThatThrownBy(() -> LineSettings.parse(Map.of("data.bits", "9"))).hasMessageContaining("5, 6, 7 or 8");
    }

    @Test
    void dtrAndRtsAreTrueOrFalseAndYesIsRefusedRatherThanMeaningFalse() {
        assertThatThrownBy(() -> LineSettings.parse(Map.of("dtr", "yes"))).hasMessage("dtr = yes: true or false");
        assertThatThrownBy(() -> LineSettings.parse(Map.of("rts", "on"))).hasMessage("rts = on: true or false");
        assertThat(LineSettings.parse(Map.of("dtr", "False", "rts", "TRUE"))).hasToString("115200 8N1 RTS");
    }

    @Test
    void sevenEvenTwo() {
        LineSettings s = LineSettings.parse(Map.of("baud", "9600", "data.bits", "7", "parity", "even", "stop.bits", "2",
                "dtr", "false"));

        assertThat(s).hasToString("9600 7E2 RTS");
        assertThat(CdcAcmChip.lineCoding(s)).containsExactly(0x80, 0x25, 0, 0, 2, 2, 7);
        assertThat(Ch340Chip.lcr(s)).isEqualTo(0xC0 | 2 | 0x08 | 0x10 | 0x04);
    }
}
