package org.usblogd.audio;

import java.util.List;

/**
 * One alternate setting of an audio streaming interface that sends PCM to the host: what its format type I
 * descriptor says and the isochronous IN endpoint that carries it.
 *
 * @param uac 1 or 2 (bInterfaceProtocol 0x20 of the interface is UAC2)
 * @param controlInterface the audio control interface of the same function (wIndex of clock requests)
 * @param interfaceNumber the streaming interface
 * @param alternate its alternate setting
 * @param terminalLink bTerminalLink: the output terminal the stream leaves the function through
 * @param inputTerminalType wTerminalType of the input terminal feeding that output terminal (0x0201 microphone,
 *        0x0205 microphone array, 0x0603 line...), 0 when the unit graph did not lead to one
 * @param channels bNrChannels
 * @param subslotBytes bytes per sample in the stream (bSubframeSize, bSubslotSize): 2, 3 or 4
 * @param bitResolution bits of the sample that carry signal, the most significant ones of the subslot
 * @param discreteRates UAC1's tSamFreq list; empty when the rates are a range or (UAC2) held by the clock
 * @param minRate UAC1's continuous range, lower end; 0 when discrete or UAC2
 * @param maxRate UAC1's continuous range, upper end; 0 when discrete or UAC2
 * @param endpoint bEndpointAddress of the isochronous IN data endpoint
 * @param maxPacketSize wMaxPacketSize as it stands, bits 11..12 (additional transactions) included
 * @param interval bInterval of the endpoint
 * @param rateControl whether the rate can be set: UAC1 the endpoint's sampling frequency control
 *        (class-specific endpoint bmAttributes bit 0), UAC2 a host-programmable clock source
 * @param clockId UAC2: the clock source whose CS_SAM_FREQ_CONTROL sets the rate; -1 for UAC1 or when none
 *        was found
 */
record CaptureSetting(int uac, int controlInterface, int interfaceNumber, int alternate, int terminalLink,
        int inputTerminalType, int channels, int subslotBytes, int bitResolution, List<Integer> discreteRates,
        int minRate, int maxRate, int endpoint, int maxPacketSize, int interval, boolean rateControl,
        int clockId) {

    CaptureSetting {
        discreteRates = List.copyOf(discreteRates);
    }

    int frameBytes() {
        return channels * subslotBytes;
    }

    /** Bytes the endpoint may move per service interval: the packet size times 1 + additional transactions. */
    int bytesPerServiceInterval() {
        int transactions = 1 + Math.min(2, (maxPacketSize >> 11) & 0x3);
        return (maxPacketSize & 0x7FF) * transactions;
    }

    /**
     * Seconds between two packets: a (micro)frame times 2^(bInterval-1), bInterval clamped to 1..16 as USB
     * 2.0 9.6.6 allows for isochronous endpoints.
     */
    double servicePeriodSeconds(boolean highSpeed) {
        int exponent = Math.max(1, Math.min(16, interval)) - 1;
        return (highSpeed ? 125e-6 : 1e-3) * (1L << exponent);
    }

    /**
     * Whether the descriptors list the rate. UAC2 streaming descriptors list none (the clock source's RANGE
     * request does), so for UAC2 this is true and the rate is checked against the clock later.
     */
    boolean listsRate(int rate) {
        if (uac == 2) {
            return true;
        }
        if (!discreteRates.isEmpty()) {
            return discreteRates.contains(rate);
        }
        return rate >= minRate && rate <= maxRate;
    }

    /**
     * Bytes one packet carries at this rate: the frames of a service interval, rounded up (44.1 kHz sends
     * 45 frames every tenth millisecond). Not one more for a fast asynchronous clock: many devices declare
     * exactly the rounded-up size, and their only alternate setting would be refused.
     */
    int bytesNeeded(int rate, boolean highSpeed) {
        double frames = rate * servicePeriodSeconds(highSpeed);
        return (int) Math.ceil(frames - 1e-9) * frameBytes();
    }

    String describe() {
        return "interface " + interfaceNumber + " alt " + alternate + " (UAC" + uac + ", " + channels + " ch, "
                + bitResolution + "/" + subslotBytes * 8 + " bit, endpoint 0x" + Integer.toHexString(endpoint)
                + ", " + bytesPerServiceInterval() + " bytes per interval)";
    }
}
