package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private static List<String> feed(LineAssembler a, String... packets) {
        List<String> lines = new ArrayList<>();
        for (String p : packets) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            lines.addAll(a.add(b, 0, b.length));
        }
        return lines;
    }

    @Test
    void linesAreReassembledAcrossPacketsWithoutTheirCarriageReturns() {
        assertThat(feed(new LineAssembler(256), "ial line\r\nT=21", ".5 H=4", "0\r", "\nT=21.6 H=41\r\nT=2"))
                .containsExactly("T=21.5 H=40", "T=21.6 H=41");
    }

    @Test
    void thePartialLineUnderWayWhenReadingStartsIsDropped() {
        assertThat(feed(new LineAssembler(256), "21.5,40\n", "22.0,41\n")).containsExactly("22.0,41");
    }

    @Test
    void overlongLinesAreCutOffAndCounted() {
        LineAssembler a = new LineAssembler(16);

        assertThat(feed(a, "\n", "x".repeat(10), "y".repeat(10), "z\nshort\n", "w".repeat(40), "\n"))
                .containsExactly("short");
        assertThat(a.cut()).isEqualTo(2);
    }

    @Test
    void garbageNeverThrowsAndNoLineIsLongerThanTheCap() {
        LineAssembler a = new LineAssembler(64);
        Random random = new Random(2);
        long lines = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] packet = new byte[random.nextInt(65)];
            random.nextBytes(packet);
            for (String l : a.add(packet, 0, packet.length)) {
                assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 3);
                lines++;
            }
        }
        assertThat(lines).isPositive();
        assertThat(a.cut()).isPositive();
    }
}
