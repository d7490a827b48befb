package org.usblogd.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The class-specific requests that set and read a capture stream's sampling rate, and the decoding of their
 * answers. UAC1 keeps the rate at the endpoint (Audio Devices 1.0, 5.2.3.2.3.1: SAMPLING_FREQ_CONTROL, a
 * 3-byte rate); UAC2 at the clock source (Audio Devices 2.0, 5.2.5.1.1: CS_SAM_FREQ_CONTROL, a 4-byte rate,
 * the rates it can run at in a RANGE answer).
 */
final class UacRequests {

    /** Class request, recipient endpoint, host to device. */
    static final int UAC1_SET_ENDPOINT = 0x22;
    static final int UAC1_GET_ENDPOINT = 0xA2;
    /** Class request, recipient interface, host to device. */
    static final int UAC2_SET_INTERFACE = 0x21;
    static final int UAC2_GET_INTERFACE = 0xA1;
    static final int UAC1_SET_CUR = 0x01;
    static final int UAC1_GET_CUR = 0x81;
    static final int UAC2_CUR = 0x01;
    static final int UAC2_RANGE = 0x02;
    /** The control selector in wValue's high byte: SAMPLING_FREQ_CONTROL (UAC1), CS_SAM_FREQ_CONTROL (UAC2). */
    static final int SAMPLING_FREQ = 0x0100;
    /** A RANGE answer that lists up to this many subranges fits in one request. */
    static final int MAX_SUBRANGES = 64;

    private UacRequests() {
    }

    /**
     * GET_DESCRIPTOR(CONFIGURATION) of the configuration at {@code index} (not bConfigurationValue): the
     * only way to the class-specific descriptors while the core's interface and endpoint records leave them
     * out. Ask with {@code length} 9 first, then with the wTotalLength those 9 bytes carry ({@link
     * #totalLength}).
     */
    static ControlRequest configurationDescriptor(int index, int length) {
        if (length < 9 || length > 0xFFFF) {
            throw new IllegalArgumentException("wLength " + length);
        }
        return new ControlRequest(0x80, 0x06, 0x0200 | (index & 0xFF), 0, length, new byte[0]);
    }

    /** wTotalLength of a configuration descriptor's first bytes, or empty when they are none. */
    static OptionalInt totalLength(byte[] answer, int length) {
        if (answer == null || length < 4 || answer.length < 4 || (answer[0] & 0xFF) < 9 || answer[1] != 0x02) {
            return OptionalInt.empty();
        }
        int total = (answer[2] & 0xFF) | (answer[3] & 0xFF) << 8;
        return total >= 9 ? OptionalInt.of(total) : OptionalInt.empty();
    }

    /** UAC1 SET_CUR of the endpoint's sampling frequency. */
    static ControlRequest uac1SetRate(int endpoint, int rate) {
        if (rate <= 0 || rate > 0xFFFFFF) {
            throw new IllegalArgumentException("a UAC1 rate has 3 bytes: " + rate);
        }
        byte[] data = { (byte) rate, (byte) (rate >> 8), (byte) (rate >> 16) };
        return new ControlRequest(UAC1_SET_ENDPOINT, UAC1_SET_CUR, SAMPLING_FREQ, endpoint & 0xFF, 3, data);
    }

    /** UAC1 GET_CUR of the endpoint's sampling frequency: what the device took. */
    static ControlRequest uac1GetRate(int endpoint) {
        return new ControlRequest(UAC1_GET_ENDPOINT, UAC1_GET_CUR, SAMPLING_FREQ, endpoint & 0xFF, 3, new byte[0]);
    }

    /** UAC2 CUR of the clock source's sampling frequency, set. */
    static ControlRequest uac2SetRate(int clockId, int controlInterface, int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate " + rate);
        }
        byte[] data = { (byte) rate, (byte) (rate >> 8), (byte) (rate >> 16), (byte) (rate >>> 24) };
        return new ControlRequest(UAC2_SET_INTERFACE, UAC2_CUR, SAMPLING_FREQ, index(clockId, controlInterface), 4,
                data);
    }

    /** UAC2 CUR of the clock source's sampling frequency, read. */
    static ControlRequest uac2GetRate(int clockId, int controlInterface) {
        return new ControlRequest(UAC2_GET_INTERFACE, UAC2_CUR, SAMPLING_FREQ, index(clockId, controlInterface), 4,
                new byte[0]);
    }

    /** UAC2 RANGE of the clock source: wNumSubRanges, then (dMIN, dMAX, dRES) for each. */
    static ControlRequest uac2GetRanges(int clockId, int controlInterface) {
        return new ControlRequest(UAC2_GET_INTERFACE, UAC2_RANGE, SAMPLING_FREQ, index(clockId, controlInterface),
                2 + 12 * MAX_SUBRANGES, new byte[0]);
    }

    /** The entity in the high byte, the interface in the low byte (Audio Devices 2.0, 5.2.2). */
    private static int index(int clockId, int controlInterface) {
        return (clockId & 0xFF) << 8 | (controlInterface & 0xFF);
    }

    /** The rate in a GET_CUR answer of {@code width} (3 for UAC1, 4 for UAC2) bytes; empty if too short. */
    static OptionalInt rate(byte[] answer, int length, int width) {
        if (answer == null || length < width || answer.length < width || width < 1 || width > 4) {
            return OptionalInt.empty();
        }
        long rate = 0;
        for (int i = width - 1; i >= 0; i--) {
            rate = rate << 8 | (answer[i] & 0xFF);
        }
        return rate > 0 && rate <= Integer.MAX_VALUE ? OptionalInt.of((int) rate) : OptionalInt.empty();
    }

    /** One subrange of a RANGE answer: rates from min to max in steps of res (0: min only, or continuous). */
    record RateRange(long min, long max, long res) {

        boolean contains(int rate) {
            if (rate < min || rate > max) {
                return false;
            }
            return res <= 0 || min == max || (rate - min) % res == 0;
        }
    }

    /**
     * The subranges of a RANGE answer; as many as the bytes hold when the answer is shorter than wNumSubRanges
     * says, none for one shorter than 2 bytes. Subranges with max below min are dropped.
     */
    static List<RateRange> ranges(byte[] answer, int length) {
        List<RateRange> out = new ArrayList<>();
        if (answer == null || length < 2 || answer.length < 2) {
            return out;
        }
        int usable = Math.min(length, answer.length);
        int declared = (answer[0] & 0xFF) | (answer[1] & 0xFF) << 8;
        int held = Math.min(declared, (usable - 2) / 12);
        for (int i = 0; i < held; i++) {
            int at = 2 + 12 * i;
            long min = u32(answer, at);
            long max = u32(answer, at + 4);
            long res = u32(answer, at + 8);
            if (max >= min) {
                out.add(new RateRange(min, max, res));
            }
        }
        return out;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
