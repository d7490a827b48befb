package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SettingChooserTest {

    static final UacDescriptors UAC1 = UacDescriptors.parse(UacSamples.uac1Microphone());
    static final UacDescriptors UAC2 = UacDescriptors.parse(UacSamples.uac2Microphone());

    static CaptureSetting chosen(StreamChoice c) {
        assertThat(c).isInstanceOf(StreamChoice.Chosen.class);
        return ((StreamChoice.Chosen) c).setting();
    }

    @Test
    void ofTheSettingsThatCarryTheFormatTheOneWithTheSmallestPacketsIsChosen() {
        // alts 1 and 4 are both mono 16 bit at 48 kHz; alt 1 reserves 100 bytes a frame, alt 4 200
        CaptureSetting s = chosen(SettingChooser.choose(UAC1, new StreamRequest(48000, 1, 16), false));

        assertThat(s.alternate()).isEqualTo(1);
    }

    @Test
    void aRequestForStereoOrTwentyFourBitsGetsTheSettingThatHasThem() {
        assertThat(chosen(SettingChooser.choose(UAC1, new StreamRequest(48000, 2, 0), false)).alternate())
                .isEqualTo(2);
        assertThat(chosen(SettingChooser.choose(UAC1, new StreamRequest(48000, 0, 24), false)).alternate())
                .isEqualTo(3);
    }

    @Test
    void aRateNoSettingListsIsUnusableAndSaysWhatEachSettingLacked() {
        StreamChoice c = SettingChooser.choose(UAC1, new StreamRequest(96000, 0, 0), false);

        assertThat(c).isInstanceOfSatisfying(StreamChoice.Unusable.class, u -> assertThat(u.why())
                .startsWith("nothing carries 96000 Hz: interface 1 alt 1 (UAC1, 1 ch, 16/16 bit, endpoint 0x82, "
                        + "100 bytes per interval): rate not listed"));
    }

    @Test
    void aSettingWhosePacketsAreTooSmallForTheRateIsRefused() {
        // 44.1 kHz mono 16 bit needs 45 frames, 90 bytes, in a 1 ms frame; alt 1's 100 bytes carry them
        assertThat(chosen(SettingChooser.choose(UAC1, new StreamRequest(44100, 1, 16), false)).alternate())
                .isEqualTo(1);
        // UAC2 alt 1 moves 16 bytes per microframe: 48 kHz mono 16 bit needs 12, 96 kHz needs 24
        assertThat(chosen(SettingChooser.choose(UAC2, new StreamRequest(48000, 0, 16), true)).alternate())
                .isEqualTo(1);
        StreamChoice c = SettingChooser.choose(UAC2, new StreamRequest(96000, 0, 16), true);
        assertThat(c).isInstanceOfSatisfying(StreamChoice.Unusable.class,
                u -> assertThat(u.why()).contains("24 bytes per packet needed"));
    }

    @Test
    void theSameEndpointAtFullSpeedNeedsEightTimesTheBytesOfAMicroframe() {
        CaptureSetting s = UAC2.captures().get(0);

        assertThat(s.bytesNeeded(48000, true)).isEqualTo(12);
        assertThat(s.bytesNeeded(48000, false)).isEqualTo(96);
        assertThat(SettingChooser.choose(UAC2, new StreamRequest(48000, 0, 16), false))
                .isInstanceOf(StreamChoice.Unusable.class);
    }

    @Test
    void withoutARequestTheFirstCommonRateThatFitsIsTaken() {
        StreamChoice c = SettingChooser.chooseDefault(UAC1, false);

        assertThat(c).isEqualTo(new StreamChoice.Chosen(UAC1.captures().get(0), 48000));
    }

    @Test
    void aUac2RateTheClockSaidItDoesNotRunAtIsRefused() {
        ClockRates clocks = ClockRates.UNASKED.with(0x10, List.of(new UacRequests.RateRange(44100, 48000, 3900)));

        assertThat(chosen(SettingChooser.choose(UAC2, new StreamRequest(48000, 0, 16), true, clocks)).alternate())
                .isEqualTo(1);
        assertThat(SettingChooser.choose(UAC2, new StreamRequest(32000, 0, 16), true, clocks))
                .isInstanceOfSatisfying(StreamChoice.Unusable.class,
                        u -> assertThat(u.why()).contains("clock 16 does not run at that rate"));
        assertThat(SettingChooser.chooseDefault(UAC2, true, ClockRates.UNASKED.with(0x10,
                List.of(new UacRequests.RateRange(16000, 16000, 0))))).isEqualTo(
                        new StreamChoice.Chosen(UAC2.captures().get(0), 16000));
    }

    @Test
    void aClockThatAnsweredNothingIsTakenAtItsInterfacesWord() {
        ClockRates clocks = ClockRates.UNASKED.with(0x10, List.of());

        assertThat(clocks.runsAt(0x10, 12345)).isTrue();
    }

    @Test
    void aDeviceWithoutCapturesIsUnusableForEveryRequest() {
        UacDescriptors none = UacDescriptors.parse(new byte[] { 9, 2, 9, 0, 0, 1, 0, (byte) 0x80, 50 });

        assertThat(SettingChooser.chooseDefault(none, false)).isInstanceOfSatisfying(StreamChoice.Unusable.class,
                u -> assertThat(u.why()).isEqualTo("no audio streaming interface with an isochronous IN endpoint"));
    }
}
