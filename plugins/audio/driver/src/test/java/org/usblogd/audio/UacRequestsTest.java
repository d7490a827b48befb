package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.usblogd.audio.UacSamples.d;

import java.util.OptionalInt;
import java.util.Random;

import org.junit.jupiter.api.Test;

class UacRequestsTest {

    @Test
    void uac1SetsTheRateOnTheEndpointWithThreeLittleEndianBytes() {
        ControlRequest r = UacRequests.uac1SetRate(0x82, 48000);

        // Audio Devices 1.0, 5.2.3.2.3.1: bmRequestType 0010 0010, SET_CUR, SAMPLING_FREQ_CONTROL << 8, endpoint
        assertThat(r).isEqualTo(new ControlRequest(0x22, 0x01, 0x0100, 0x0082, 3, d(0x80, 0xBB, 0x00)));
        assertThat(r.isIn()).isFalse();
        assertThat(r.toString()).isEqualTo(
                "bmRequestType 0x22 bRequest 0x01 wValue 0x0100 wIndex 0x0082 wLength 3 data 80bb00");
    }

    @Test
    void uac1ReadsTheRateBackWithGetCur() {
        ControlRequest r = UacRequests.uac1GetRate(0x82);

        assertThat(r).isEqualTo(new ControlRequest(0xA2, 0x81, 0x0100, 0x0082, 3, new byte[0]));
        assertThat(r.isIn()).isTrue();
        assertThat(UacRequests.rate(d(0x44, 0xAC, 0x00), 3, 3)).hasValue(44100);
    }

    @Test
    void uac2SetsTheRateOnTheClockSourceWithFourLittleEndianBytes() {
        ControlRequest r = UacRequests.uac2SetRate(0x10, 0, 96000);

        // Audio Devices 2.0, 5.2.2 and 5.2.5.1.1: CUR, CS_SAM_FREQ_CONTROL << 8, clock ID << 8 | interface
        assertThat(r).isEqualTo(new ControlRequest(0x21, 0x01, 0x0100, 0x1000, 4, d(0x00, 0x77, 0x01, 0x00)));
        assertThat(UacRequests.uac2GetRate(0x10, 3))
                .isEqualTo(new ControlRequest(0xA1, 0x01, 0x0100, 0x1003, 4, new byte[0]));
        assertThat(UacRequests.rate(d(0x00, 0x77, 0x01, 0x00), 4, 4)).hasValue(96000);
    }

    @Test
    void uac2AsksForTheClocksRatesWithRange() {
        ControlRequest r = UacRequests.uac2GetRanges(0x10, 0);

        assertThat(r.requestType()).isEqualTo(0xA1);
        assertThat(r.request()).isEqualTo(0x02);
        assertThat(r.value()).isEqualTo(0x0100);
        assertThat(r.index()).isEqualTo(0x1000);
        assertThat(r.length()).isEqualTo(2 + 12 * 64);
    }

    @Test
    void aRangeAnswerListsDiscreteRatesAndContinuousRanges() {
        byte[] answer = d(2, 0,
                0x80, 0xBB, 0, 0, 0x80, 0xBB, 0, 0, 0, 0, 0, 0, // 48000 only
                0x44, 0xAC, 0, 0, 0x00, 0x77, 0x01, 0x00, 0xBC, 0x02, 0, 0); // 44100..96000 step 700

        var ranges = UacRequests.ranges(answer, answer.length);

        assertThat(ranges).containsExactly(new UacRequests.RateRange(48000, 48000, 0),
                new UacRequests.RateRange(44100, 96000, 700));
        assertThat(ranges.get(0).contains(48000)).isTrue();
        assertThat(ranges.get(0).contains(44100)).isFalse();
        assertThat(ranges.get(1).contains(44800)).isTrue();
        assertThat(ranges.get(1).contains(48000)).isFalse();
    }

    @Test
    void aRangeAnswerShorterThanItsCountSaysKeepsTheWholeSubrangesAndDropsNonsense() {
        byte[] answer = d(9, 0, 0x80, 0xBB, 0, 0, 0x80, 0xBB, 0, 0, 0, 0, 0, 0, 0x80, 0xBB, 0, 0, 0x40, 0x1F, 0, 0,
                0, 0, 0, 0, 0x80, 0xBB);

        assertThat(UacRequests.ranges(answer, answer.length)).hasSize(1); // the second has max < min
        assertThat(UacRequests.ranges(answer, 13)).isEmpty();
        assertThat(UacRequests.ranges(d(1), 1)).isEmpty();
        assertThat(UacRequests.ranges(null, 50)).isEmpty();
    }

    @Test
    void shortOrEmptyRateAnswersAreNoRate() {
        assertThat(UacRequests.rate(d(0x80, 0xBB), 2, 3)).isEqualTo(OptionalInt.empty());
        assertThat(UacRequests.rate(d(0, 0, 0), 3, 3)).isEqualTo(OptionalInt.empty());
        assertThat(UacRequests.rate(null, 3, 3)).isEqualTo(OptionalInt.empty());
        assertThat(UacRequests.rate(d(0xFF, 0xFF, 0xFF, 0xFF), 4, 4)).isEqualTo(OptionalInt.empty());
    }

    @Test
    void theConfigurationDescriptorIsAskedForByIndexAndItsTotalLengthReadFromTheFirstNineBytes() {
        assertThat(UacRequests.configurationDescriptor(0, 9))
                .isEqualTo(new ControlRequest(0x80, 0x06, 0x0200, 0, 9, new byte[0]));
        byte[] whole = UacSamples.uac1Microphone();

        assertThat(UacRequests.totalLength(whole, 9)).hasValue(whole.length);
        assertThat(UacRequests.totalLength(d(9, 0x04, 0x40, 0), 4)).isEmpty();
        assertThat(UacRequests.totalLength(d(9, 0x02, 5, 0), 4)).isEmpty();
        assertThat(UacRequests.totalLength(d(9, 0x02), 2)).isEmpty();
    }

    @Test
    void randomAnswersNeverThrow() {
        Random random = new Random(18);
        for (int i = 0; i < 100_000; i++) {
            byte[] answer = new byte[random.nextInt(100)];
            random.nextBytes(answer);
            UacRequests.ranges(answer, random.nextInt(120));
            UacRequests.rate(answer, random.nextInt(6), random.nextInt(6));
            UacRequests.totalLength(answer, random.nextInt(10));
        }
    }

    @Test
    void aUac1RateNeedsThreeBytes() {
        assertThatThrownBy(() -> UacRequests.uac1SetRate(0x82, 1 << 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UacRequests.uac2SetRate(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestsBytesCannotBeChangedFromOutside() {
        byte[] data = d(1, 2, 3);
        ControlRequest r = new ControlRequest(0x22, 1, 0x100, 0x82, 3, data);
        data[0] = 9;
        r.data()[1] = 9;

        assertThat(r.data()).containsExactly(1, 2, 3);
    }
}
