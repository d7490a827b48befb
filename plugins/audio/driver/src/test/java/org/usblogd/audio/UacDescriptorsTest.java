package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.usblogd.audio.UacSamples.concat;
import static org.usblogd.audio.UacSamples.configuration;
import static org.usblogd.audio.UacSamples.d;
import static org.usblogd.audio.UacSamples.iface;
import static org.usblogd.audio.UacSamples.isoIn;
import static org.usblogd.audio.UacSamples.uac1Control;
import static org.usblogd.audio.UacSamples.uac1Format;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class UacDescriptorsTest {

    @Test
    void readsEveryCaptureSettingOfAUac1Microphone() {
        UacDescriptors u = UacDescriptors.parse(UacSamples.uac1Microphone());

        assertThat(u.notes()).isEmpty();
        assertThat(u.captures()).hasSize(4);
        CaptureSetting first = u.captures().get(0);
        assertThat(first).isEqualTo(new CaptureSetting(1, 0, 1, 1, 3, 0x0201, 1, 2, 16, List.of(44100, 48000), 0, 0,
                0x82, 100, 1, true, -1));
        assertThat(u.captures()).extracting(CaptureSetting::channels).containsExactly(1, 2, 1, 1);
        assertThat(u.captures()).extracting(CaptureSetting::subslotBytes).containsExactly(2, 2, 3, 2);
        assertThat(u.captures().get(3).rateControl()).as("EP_GENERAL bit 0 clear").isFalse();
        assertThat(u.unusableBecause()).isNull();
    }

    @Test
    void readsAUac2MicrophoneAndFindsItsClockSourceBehindASelector() {
        UacDescriptors u = UacDescriptors.parse(UacSamples.uac2Microphone());

        assertThat(u.notes()).isEmpty();
        assertThat(u.captures()).containsExactly(
                new CaptureSetting(2, 0, 1, 1, 3, 0x0201, 1, 2, 16, List.of(), 0, 0, 0x81, 16, 1, true, 0x10),
                new CaptureSetting(2, 0, 1, 2, 3, 0x0201, 1, 4, 24, List.of(), 0, 0, 0x81, 32, 1, true, 0x10));
    }

    @Test
    void aUac1ContinuousRangeOfRatesIsRead() {
        byte[] config = configuration(uac1Control(), iface(1, 1, 1, 0x02, 0),
                d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
                d(14, 0x24, 0x02, 0x01, 1, 2, 16, 0, 0x40, 0x1F, 0x00, 0x80, 0xBB, 0x00), // 8000..48000
                isoIn(0x82, 96, 1));

        CaptureSetting s = UacDescriptors.parse(config).captures().get(0);

        assertThat(s.discreteRates()).isEmpty();
        assertThat(s.minRate()).isEqualTo(8000);
        assertThat(s.maxRate()).isEqualTo(48000);
        assertThat(s.listsRate(16000)).isTrue();
        assertThat(s.listsRate(96000)).isFalse();
    }

    @Test
    void theAdditionalTransactionBitsOfWMaxPacketSizeMultiplyTheBandwidth() {
        CaptureSetting s = new CaptureSetting(2, 0, 1, 1, 3, 0, 2, 4, 32, List.of(), 0, 0, 0x81, 0x1400, 1, true, 1);

        assertThat(s.bytesPerServiceInterval()).isEqualTo(3 * 1024);
        assertThat(withMaxPacketSize(s, 0x1800 | 512).bytesPerServiceInterval()).as("reserved value 3")
                .isEqualTo(3 * 512);
        assertThat(withMaxPacketSize(s, 0x0800 | 200).bytesPerServiceInterval()).isEqualTo(400);
        assertThat(withMaxPacketSize(s, 0xE000 | 200).bytesPerServiceInterval()).as("bits 13..15 reserved")
                .isEqualTo(200);
    }

    static CaptureSetting withMaxPacketSize(CaptureSetting s, int maxPacketSize) {
        return new CaptureSetting(s.uac(), s.controlInterface(), s.interfaceNumber(), s.alternate(), s.terminalLink(),
                s.inputTerminalType(), s.channels(), s.subslotBytes(), s.bitResolution(), s.discreteRates(),
                s.minRate(), s.maxRate(), s.endpoint(), maxPacketSize, s.interval(), s.rateControl(), s.clockId());
    }

    @Test
    void playbackInterfacesAndZeroBandwidthSettingsAreNoCaptures() {
        byte[] config = configuration(uac1Control(), iface(1, 0, 0, 0x02, 0), iface(2, 1, 1, 0x02, 0),
                d(7, 0x24, 0x01, 1, 1, 0x01, 0x00), uac1Format(2, 2, 16, 48000),
                d(9, 0x05, 0x01, 0x09, 192, 0, 1, 0, 0)); // an OUT endpoint: a speaker

        UacDescriptors u = UacDescriptors.parse(config);

        assertThat(u.captures()).isEmpty();
        assertThat(u.notes()).isEmpty();
        assertThat(u.unusableBecause()).contains("no audio streaming interface with an isochronous IN endpoint");
    }

    @Test
    void aFeedbackEndpointIsNotTakenForTheDataEndpoint() {
        byte[] config = configuration(uac1Control(), iface(1, 1, 2, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
                uac1Format(1, 2, 16, 48000), d(7, 0x05, 0x83, 0x11, 4, 0, 4), isoIn(0x82, 96, 1));

        assertThat(UacDescriptors.parse(config).captures()).extracting(CaptureSetting::endpoint)
                .containsExactly(0x82);
    }

    @Test
    void formatsOtherThanPcmAreLeftOutWithTheReason() {
        byte[] config = configuration(uac1Control(),
                iface(1, 1, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x10), uac1Format(1, 2, 16, 48000),
                isoIn(0x82, 96, 1), // wFormatTag 0x1001: MPEG
                iface(1, 2, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
                d(9, 0x24, 0x02, 0x02, 0x00, 0x10, 0x00, 0x01, 0), isoIn(0x82, 96, 1), // format type II
                iface(1, 3, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(4, 2, 16, 48000),
                isoIn(0x82, 384, 1), // four channels
                iface(1, 4, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(1, 1, 8, 48000),
                isoIn(0x82, 48, 1)); // 8-bit

        UacDescriptors u = UacDescriptors.parse(config);

        assertThat(u.captures()).isEmpty();
        assertThat(u.notes()).containsExactly("interface 1 alt 1: format tag 0x1001, not PCM",
                "interface 1 alt 2: format type 2, not type I (PCM)",
                "interface 1 alt 3: 4 channels: only mono and stereo are decoded",
                "interface 1 alt 4: 1-byte samples: only 2, 3 and 4 are decoded");
        assertThat(u.unusableBecause()).startsWith("no usable capture setting: interface 1 alt 1");
    }

    @Test
    void aFormatDescriptorThatListsMoreRatesThanItHoldsIsLeftOut() {
        byte[] config = configuration(uac1Control(), iface(1, 1, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
                d(11, 0x24, 0x02, 0x01, 1, 2, 16, 3, 0x80, 0xBB, 0x00), isoIn(0x82, 96, 1)); // 3 rates, room for 1

        UacDescriptors u = UacDescriptors.parse(config);

        assertThat(u.captures()).isEmpty();
        assertThat(u.notes()).containsExactly("interface 1 alt 1: format type I descriptor of 11 bytes, 17 needed");
    }

    @Test
    void aZeroLengthDescriptorEndsTheWalkWithANoteAndKeepsWhatCameBefore() {
        byte[] whole = UacSamples.uac1Microphone();
        int cut = whole.length - 16; // alt 4's endpoint descriptor
        byte[] broken = whole.clone();
        broken[cut] = 0;
        broken[cut + 1] = 0x24;

        UacDescriptors u = UacDescriptors.parse(broken);

        assertThat(u.notes()).anyMatch(n -> n.startsWith("descriptors cut short: descriptor at offset")
                && n.endsWith("has bLength 0"));
        assertThat(u.captures()).extracting(CaptureSetting::alternate).containsExactly(1, 2, 3);
    }

    @Test
    void aDescriptorRunningPastTheEndIsNoted() {
        byte[] bytes = d(9, 0x02, 0, 0, 1, 1, 0, 0x80, 50, 20, 0x04, 0, 0);

        UacDescriptors u = UacDescriptors.parse(bytes);

        assertThat(u.captures()).isEmpty();
        assertThat(u.notes()).containsExactly(
                "descriptors cut short: descriptor at offset 9 (bLength 20) runs 16 bytes past the end");
    }

    @Test
    void nothingAtAllIsAnUnusableDeviceNotAnException() {
        assertThat(UacDescriptors.parse(null).unusableBecause()).contains("no descriptor bytes");
        assertThat(UacDescriptors.parse(new byte[0]).unusableBecause()).isNotNull();
        assertThat(UacDescriptors.parse(new byte[] { 1 }).unusableBecause()).contains("a lone byte");
    }

    @Test
    void aStreamingInterfaceWithoutAControlInterfaceIsLeftOut() {
        byte[] config = configuration(iface(1, 1, 1, 0x02, 0), d(7, 0x24, 0x01, 3, 1, 0x01, 0x00),
                uac1Format(1, 2, 16, 48000), isoIn(0x82, 96, 1));

        assertThat(UacDescriptors.parse(config).notes())
                .containsExactly("interface 1 alt 1: no audio control interface before it");
    }

    @Test
    void unitsAndClocksThatFormALoopEndTheSearchInsteadOfTheParser() {
        byte[] config = configuration(iface(0, 0, 0, 0x01, 0x20),
                d(8, 0x24, 0x0B, 0x11, 1, 0x12, 0, 0), d(8, 0x24, 0x0B, 0x12, 1, 0x11, 0, 0), // selectors in a ring
                d(14, 0x24, 0x06, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0), // feature unit fed by itself
                d(12, 0x24, 0x03, 3, 0x01, 0x01, 0, 2, 0x11, 0, 0, 0),
                iface(1, 1, 1, 0x02, 0x20), d(16, 0x24, 0x01, 3, 0, 0x01, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0),
                d(6, 0x24, 0x02, 0x01, 2, 16), isoIn(0x81, 16, 1));

        UacDescriptors u = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> UacDescriptors.parse(config));

        assertThat(u.captures()).singleElement().satisfies(s -> {
            assertThat(s.clockId()).isEqualTo(-1);
            assertThat(s.rateControl()).isFalse();
            assertThat(s.inputTerminalType()).isZero();
        });
        assertThat(u.notes())
                .containsExactly("interface 1 alt 1: no clock source found, its rate cannot be asked or set");
    }

    @Test
    void everyTruncationOfRealDescriptorsParsesWithoutAFault() {
        for (byte[] whole : List.of(UacSamples.uac1Microphone(), UacSamples.uac2Microphone())) {
            for (int n = 0; n <= whole.length; n++) {
                byte[] prefix = java.util.Arrays.copyOf(whole, n);
                UacDescriptors u = UacDescriptors.parse(prefix);
                assertThat(u.notes()).noneMatch(note -> note.startsWith(UacDescriptors.PARSER_FAULT));
                assertThat(u.captures()).allSatisfy(s -> assertThat(s.frameBytes()).isPositive());
            }
        }
    }

    @Test
    void randomBytesAndRandomlyDamagedDescriptorsNeverThrowNorHang() {
        Random random = new Random(18);
        byte[][] real = { UacSamples.uac1Microphone(), UacSamples.uac2Microphone() };
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 100_000; i++) {
                byte[] bytes;
                if (i % 2 == 0) {
                    bytes = new byte[random.nextInt(400)];
                    random.nextBytes(bytes);
                } else {
                    bytes = real[i / 2 % 2].clone();
                    for (int k = 1 + random.nextInt(6); k > 0; k--) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                }
                UacDescriptors u = UacDescriptors.parse(bytes);
                assertThat(u.notes()).noneMatch(note -> note.startsWith(UacDescriptors.PARSER_FAULT));
                for (CaptureSetting s : u.captures()) {
                    assertThat(s.channels()).isBetween(1, 2);
                    assertThat(s.subslotBytes()).isBetween(2, 4);
                    SettingChooser.choose(u, new StreamRequest(48000, 0, 0), random.nextBoolean());
                }
            }
        });
    }

    @Test
    void descriptorsOfOtherClassesBetweenAudioOnesAreSkipped() {
        byte[] hid = concat(d(9, 0x04, 2, 0, 1, 0x03, 0, 0, 0), d(9, 0x21, 0x11, 0x01, 0, 1, 0x22, 0x30, 0),
                d(7, 0x05, 0x83, 0x03, 8, 0, 10));
        byte[] config = UacSamples.configuration(uac1Control(), hid, iface(1, 1, 1, 0x02, 0),
                d(7, 0x24, 0x01, 3, 1, 0x01, 0x00), uac1Format(1, 2, 16, 48000), isoIn(0x82, 96, 1));

        assertThat(UacDescriptors.parse(config).captures()).hasSize(1);
    }
}
