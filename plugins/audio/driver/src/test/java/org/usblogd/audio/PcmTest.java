package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PcmTest {

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void sixteenBitSamplesAreLittleEndianSignedAndFullScaleIsOne() {
        double[] out = new double[4];
        int frames = new Pcm(1, 2).decode(bytes(0x00, 0x80, 0xFF, 0x7F, 0x00, 0x40, 0xFF, 0xFF), 0, 8, out);

        assertThat(frames).isEqualTo(4);
        assertThat(out).containsExactly(-1.0, 32767 / 32768.0, 0.5, -1 / 32768.0);
    }

    @Test
    void twentyFourBitSamplesInThreeBytesScaleByTwoToTheTwentyThird() {
        double[] out = new double[3];
        int frames = new Pcm(1, 3).decode(bytes(0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x00), 0, 9, out);

        assertThat(frames).isEqualTo(3);
        assertThat(out).containsExactly(-1.0, 8388607 / 8388608.0, 1 / 8388608.0);
    }

    @Test
    void twentyFourBitsInFourByteSubslotsSitInTheUpperThreeBytes() {
        double[] out = new double[2];
        // 0x400000 in 24 bits, left-justified: 0x40000000 in 32; the low byte is padding
        int frames = new Pcm(1, 4).decode(bytes(0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x80), 0, 8, out);

        assertThat(frames).isEqualTo(2);
        assertThat(out).containsExactly(0.5, -1.0);
    }

    @Test
    void stereoFramesComeOutInterleavedAsTheyArrived() {
        double[] out = new double[4];
        int frames = new Pcm(2, 2).decode(bytes(0x00, 0x40, 0x00, 0xC0, 0x00, 0x20, 0x00, 0xE0), 0, 8, out);

        assertThat(frames).isEqualTo(2);
        assertThat(out).containsExactly(0.5, -0.5, 0.25, -0.25);
    }

    @Test
    void aPacketCutInsideAFrameDecodesTheWholeFramesAndCountsTheRest() {
        Pcm pcm = new Pcm(2, 3);
        double[] out = new double[16];

        int frames = pcm.decode(new byte[6 * 2 + 5], 0, 17, out);

        assertThat(frames).isEqualTo(2);
        assertThat(pcm.cutBytes()).isEqualTo(5);
        assertThat(pcm.frames()).isEqualTo(2);
    }

    @Test
    void anOffsetIntoALargerBufferIsHonoured() {
        double[] out = new double[1];
        int frames = new Pcm(1, 2).decode(bytes(0x11, 0x22, 0x00, 0x40), 2, 2, out);

        assertThat(frames).isEqualTo(1);
        assertThat(out[0]).isEqualTo(0.5);
    }

    @Test
    void aLengthRunningPastTheArrayDecodesWhatIsThereAndCountsTheMissingBytesAsCut() {
        Pcm pcm = new Pcm(1, 2);
        double[] out = new double[8];

        assertThat(pcm.decode(new byte[4], 0, 10, out)).isEqualTo(2);
        assertThat(pcm.cutBytes()).isEqualTo(6);
    }

    @Test
    void framesThatDoNotFitTheOutputAreCountedNotWrittenPastIt() {
        Pcm pcm = new Pcm(2, 2);
        double[] out = new double[3]; // room for one stereo frame

        assertThat(pcm.decode(new byte[12], 0, 12, out)).isEqualTo(1);
        assertThat(pcm.unfitFrames()).isEqualTo(2);
    }

    @Test
    void noByteArrayOffsetOrLengthMakesItThrow() {
        Random random = new Random(18);
        double[] out = new double[64];
        for (int subslot = 2; subslot <= 4; subslot++) {
            for (int channels = 1; channels <= 2; channels++) {
                Pcm pcm = new Pcm(channels, subslot);
                assertThat(pcm.decode(null, 0, 10, out)).isZero();
                assertThat(pcm.decode(new byte[4], 0, 4, null)).isZero();
                assertThat(pcm.decode(new byte[4], -1, 4, out)).isZero();
                assertThat(pcm.decode(new byte[4], 4, 4, out)).isZero();
                assertThat(pcm.decode(new byte[4], 0, -3, out)).isZero();
                assertThat(pcm.decode(new byte[4], 0, Integer.MAX_VALUE, out)).isEqualTo(4 / (channels * subslot));
                for (int i = 0; i < 10_000; i++) {
                    byte[] data = new byte[random.nextInt(200)];
                    random.nextBytes(data);
                    int frames = pcm.decode(data, random.nextInt(8), random.nextInt(256), out);
                    for (int s = 0; s < frames * channels; s++) {
                        assertThat(out[s]).isBetween(-1.0, 1.0);
                    }
                }
            }
        }
    }

    @Test
    void onlyTwoThreeAndFourByteSubslotsAreDecoded() {
        assertThatThrownBy(() -> new Pcm(1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pcm(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
