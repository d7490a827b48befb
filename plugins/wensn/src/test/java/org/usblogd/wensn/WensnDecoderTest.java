package org.usblogd.wensn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.sim.twin.WensnTwin;

class WensnDecoderTest {

    @Test
    void decodesTheDocumentedExample() {
        WensnDecoder.Reading r = new WensnDecoder().decode(new byte[] { 0x2C, 0x01 }, 2);

        assertThat(r.decibels()).isEqualTo(60.0);
        assertThat(r.settings()).isEqualTo("range 0, weighting A, fast");
    }

    @Test
    void readsRangeWeightingAndResponseFromTheSecondByte() {
        WensnDecoder.Reading r = new WensnDecoder().decode(WensnTwin.reading(94.5, 3, true, true), 2);

        assertThat(r).isEqualTo(new WensnDecoder.Reading(94.5, 3, 'C', true));
    }

    @Test
    void coversTheWholeScale() {
        WensnDecoder d = new WensnDecoder();

        assertThat(d.decode(new byte[] { 0, 0 }, 2).decibels()).isEqualTo(30.0);
        assertThat(d.decode(new byte[] { (byte) 0xFF, 0x03 }, 2).decibels()).isEqualTo(132.3);
    }

    @Test
    void shortAndMalformedReadingsAreCountedNotDecoded() {
        WensnDecoder d = new WensnDecoder();

        assertThat(d.decode(new byte[] { 0x2C }, 1)).isNull();
        assertThat(d.decode(new byte[] { 0x2C, 0x01 }, 1)).isNull();
        assertThat(d.decode(new byte[] { 0x2C, (byte) 0x81 }, 2)).isNull();
        assertThat(d.decode(null, 2)).isNull();
        assertThat(d.bad()).isEqualTo(4);
    }

    @Test
    void garbageNeverThrowsAndEveryPacketIsEitherDecodedOrCounted() {
        WensnDecoder d = new WensnDecoder();
        Random random = new Random(11);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] packet = new byte[random.nextInt(5)];
            random.nextBytes(packet);
            WensnDecoder.Reading r = d.decode(packet, random.nextInt(packet.length + 1));
            if (r != null) {
                decoded++;
                assertThat(r.decibels()).isBetween(30.0, 132.3);
            }
        }
        assertThat(decoded + d.bad()).isEqualTo(100_000);
        assertThat(d.bad()).isPositive();
    }
}
