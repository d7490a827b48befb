package org.usblogd.audio;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rates UAC2 clock sources run at, from their RANGE answers ({@link UacRequests#ranges}). A clock that
 * was not asked, or whose answer was empty, is taken at its streaming interface's word: the stream is then
 * started and the rate read back with CUR, which is what decides.
 */
final class ClockRates {

    static final ClockRates UNASKED = new ClockRates(Map.of());

    private final Map<Integer, List<UacRequests.RateRange>> byClock;

    private ClockRates(Map<Integer, List<UacRequests.RateRange>> byClock) {
        this.byClock = Map.copyOf(byClock);
    }

    /** These clocks' answers added to the ones already known; an empty answer adds nothing. */
    ClockRates with(int clockId, List<UacRequests.RateRange> ranges) {
        Map<Integer, List<UacRequests.RateRange>> m = new HashMap<>(byClock);
        if (!ranges.isEmpty()) {
            m.put(clockId, List.copyOf(ranges));
        }
        return new ClockRates(m);
    }

    boolean runsAt(int clockId, int rate) {
        List<UacRequests.RateRange> ranges = byClock.get(clockId);
        if (ranges == null) {
            return true;
        }
        for (UacRequests.RateRange r : ranges) {
            if (r.contains(rate)) {
                return true;
            }
        }
        return false;
    }
}
