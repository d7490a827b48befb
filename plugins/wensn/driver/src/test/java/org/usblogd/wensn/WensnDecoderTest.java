package org.usblogd.wensn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.usblogd.wensn.twin.WensnTwin;
import org.usblogd.testing.plugin.ScriptedLink;
import org.usblogd.testing.plugin.RecordingSink;

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
    void coversTheMetersRangeFromThirtyToOneHundredAndThirtyDecibels() {
        WensnDecoder d = new WensnDecoder();

        assertThat(d.decode(new byte[] { 0, 0 }, 2).decibels()).isEqualTo(30.0);
        assertThat(d.decode(new byte[] { (byte) 0xE8, 0x03 }, 2).decibels()).isEqualTo(130.0);
        assertThat(d.implausible()).isZero();
    }

    @Test
    void wellFormedReadingsAboveTheMetersRangeAreCountedNotStored() {
        WensnDecoder d = new WensnDecoder();

        assertThat(d.decode(new byte[] { (byte) 0xE9, 0x03 }, 2)).as("130.1 dB").isNull();
        assertThat(d.decode(new byte[] { (byte) 0xFF, 0x63 }, 2)).as("132.3 dB, slow, C").isNull();
        assertThat(d.implausible()).isEqualTo(2);
        assertThat(d.lastImplausible()).isEqualTo(132.3);
        assertThat(d.bad()).isZero();
    }

    @Test
    void theSessionStoresNoneOfTheImpossibleLevelsAndSaysSo() throws Exception {
        ScriptedLink link = new ScriptedLink(new WensnTwin(1, false).info())
                .then(new byte[] { (byte) 0xFF, 0x03 }, new byte[] { 0x2C, 0x01 }, new byte[] { (byte) 0xF0, 0x03 });
        RecordingSink sink = new RecordingSink();
        WensnSession session = new WensnSession(link, sink, 10);

        for (int i = 0; i < 3; i++) {
            session.poll();
        }

        assertThat(sink.samples).extracting(RecordingSink.Sample::value).containsExactly(60.0);
        assertThat(sink.events("decode.implausible"))
                .containsExactly("1 level(s) above the meter's 130.0 dB were dropped; the last: 132.3 dB");
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
                assertThat(r.decibels()).isBetween(30.0, 130.0);
            }
        }
        assertThat(decoded + d.bad() + d.implausible()).isEqualTo(100_000);
        assertThat(d.bad()).isPositive();
    }
}
