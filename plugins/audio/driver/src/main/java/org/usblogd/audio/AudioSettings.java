package org.usblogd.audio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.usblogd.api.usb.DeviceSettings;

/**
 * What the user set for one microphone in its device file ({@code conf/org.usblogd.device-NAME.cfg}):
 * <ul>
 * <li>{@value #INTERVAL}: the length of an interval in ms, or {@code fast} (125 ms); default 1000;</li>
 * <li>{@value #WEIGHTINGS}: which of A, C and Z to record, e.g. {@code A,C}; default all three;</li>
 * <li>{@value #CALIBRATION}: the dB SPL that 0 dBFS reads as (for a microphone whose 94 dB calibrator tone
 * reads -26 dBFS, 120); levels are then in dB rather than dBFS;</li>
 * <li>{@value #RATE}: the sampling rate to ask for; default the first of 48, 44.1, 32, 96... kHz the
 * device offers.</li>
 * </ul>
 * A wrong value is a problem line and its default stands in, so a typo never stops the logging.
 */
record AudioSettings(double intervalSeconds, List<Weighting> weightings, Calibration calibration, int rate,
        List<String> problems) {

    static final String INTERVAL = "audio.interval.ms";
    static final String WEIGHTINGS = "audio.weightings";
    static final String CALIBRATION = "audio.calibration.db";
    static final String RATE = "audio.rate";
    /** Shorter than this an interval holds less than the Fast time constant's settling. */
    static final long MIN_INTERVAL_MS = 100;
    static final long MAX_INTERVAL_MS = 3_600_000;

    AudioSettings {
        weightings = List.copyOf(weightings);
        problems = List.copyOf(problems);
    }

    static AudioSettings of(DeviceSettings settings) {
        List<String> problems = new ArrayList<>();
        double interval = LevelChain.DEFAULT_INTERVAL_SECONDS;
        String i = settings.get(INTERVAL).orElse(null);
        if (i != null) {
            if (i.equalsIgnoreCase("fast")) {
                interval = LevelChain.FAST_INTERVAL_SECONDS;
            } else {
                try {
                    long ms = Long.parseLong(i);
                    if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
                        throw new NumberFormatException();
                    }
                    interval = ms / 1000.0;
                } catch (NumberFormatException e) {
                    problems.add(INTERVAL + " = " + i + " is not fast or a number of ms from " + MIN_INTERVAL_MS
                            + " to " + MAX_INTERVAL_MS + "; 1000 is used");
                }
            }
        }
        List<Weighting> weightings = List.of(Weighting.values());
        String w = settings.get(WEIGHTINGS).orElse(null);
        if (w != null) {
            Set<Weighting> chosen = new LinkedHashSet<>();
            boolean bad = false;
            for (String part : w.split("[,\\s]+")) {
                try {
                    chosen.add(Weighting.valueOf(part.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    bad = true;
                }
            }
            if (bad || chosen.isEmpty()) {
                problems.add(WEIGHTINGS + " = " + w + " is not a list of A, C and Z (e.g. A,C); A,C,Z is used");
            } else {
                weightings = List.copyOf(chosen);
            }
        }
        Calibration calibration = Calibration.NONE;
        String c = settings.get(CALIBRATION).orElse(null);
        if (c != null) {
            try {
                double offset = Double.parseDouble(c);
                if (!(offset > 0 && offset < 250)) {
                    throw new NumberFormatException();
                }
                calibration = Calibration.of(offset);
            } catch (NumberFormatException e) {
                problems.add(CALIBRATION + " = " + c + " is not the dB SPL of full scale (a number above 0 and below"
                        + " 250, e.g. 120); levels stay in dBFS");
            }
        }
        int rate = 0;
        String r = settings.get(RATE).orElse(null);
        if (r != null) {
            try {
                rate = Integer.parseInt(r);
                if (rate < Weighting.MIN_RATE || rate > Weighting.MAX_RATE) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                rate = 0;
                problems.add(RATE + " = " + r + " is not a rate from 8000 to 192000 Hz; the device's usual one is"
                        + " used");
            }
        }
        return new AudioSettings(interval, weightings, calibration, rate, problems);
    }
}
