package org.usblogd.audio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the alternate setting to capture from. Of those that carry the requested format, the one that
 * reserves the least bus bandwidth: an isochronous reservation is taken from every other device on the
 * bus, and the smallest setting that fits is what the device's designers meant for that format.
 */
final class SettingChooser {

    private SettingChooser() {
    }

    /**
     * @param highSpeed whether the device runs at high speed (125 µs microframes) rather than full speed (1 ms
     *        frames); the packet size a rate needs depends on it
     */
    static StreamChoice choose(UacDescriptors descriptors, StreamRequest request, boolean highSpeed) {
        return choose(descriptors, request, highSpeed, ClockRates.UNASKED);
    }

    /**
     * @param clocks the rates UAC2 clock sources said they run at (their RANGE answers); UAC2 streaming
     *        descriptors list no rates, so without it any rate passes for them
     */
    static StreamChoice choose(UacDescriptors descriptors, StreamRequest request, boolean highSpeed,
            ClockRates clocks) {
        if (descriptors.captures().isEmpty()) {
            return new StreamChoice.Unusable(descriptors.unusableBecause());
        }
        List<String> refused = new ArrayList<>();
        CaptureSetting best = null;
        Comparator<CaptureSetting> cheaper = Comparator.comparingInt(CaptureSetting::bytesPerServiceInterval)
                .thenComparingInt(CaptureSetting::interfaceNumber).thenComparingInt(CaptureSetting::alternate);
        for (CaptureSetting s : descriptors.captures()) {
            String why = refusal(s, request, highSpeed, clocks);
            if (why != null) {
                refused.add(s.describe() + ": " + why);
            } else if (best == null || cheaper.compare(s, best) < 0) {
                best = s;
            }
        }
        if (best == null) {
            return new StreamChoice.Unusable("nothing carries " + request.rate() + " Hz"
                    + (request.channels() > 0 ? ", " + request.channels() + " ch" : "")
                    + (request.bits() > 0 ? ", " + request.bits() + " bit" : "") + ": " + String.join("; ", refused));
        }
        return new StreamChoice.Chosen(best, request.rate());
    }

    /** The first of {@link StreamRequest#DEFAULT_RATES} some setting carries, at any channels and bits. */
    static StreamChoice chooseDefault(UacDescriptors descriptors, boolean highSpeed) {
        return chooseDefault(descriptors, highSpeed, ClockRates.UNASKED);
    }

    /** As {@link #chooseDefault(UacDescriptors, boolean)}, with what UAC2 clocks said they run at. */
    static StreamChoice chooseDefault(UacDescriptors descriptors, boolean highSpeed, ClockRates clocks) {
        StreamChoice first = null;
        for (int rate : StreamRequest.DEFAULT_RATES) {
            StreamChoice c = choose(descriptors, new StreamRequest(rate, 0, 0), highSpeed, clocks);
            if (c instanceof StreamChoice.Chosen) {
                return c;
            }
            if (first == null) {
                first = c;
            }
        }
        return first;
    }

    private static String refusal(CaptureSetting s, StreamRequest r, boolean highSpeed, ClockRates clocks) {
        if (!r.accepts(s)) {
            return "other format";
        }
        if (r.rate() <= 0 || !s.listsRate(r.rate())) {
            return "rate not listed";
        }
        if (s.uac() == 2 && !clocks.runsAt(s.clockId(), r.rate())) {
            return "clock " + s.clockId() + " does not run at that rate";
        }
        int needed = s.bytesNeeded(r.rate(), highSpeed);
        if (needed > s.bytesPerServiceInterval()) {
            return needed + " bytes per packet needed";
        }
        return null;
    }
}
