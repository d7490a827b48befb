package org.usblogd.audio;

/**
 * What 0 dBFS is in dB SPL. Without it levels stay relative to the converter's full scale (unit dBFS): a
 * USB microphone's sensitivity is not in its descriptors, and a guessed offset would look like a
 * measurement.
 *
 * @param offsetDb dB SPL that 0 dBFS corresponds to (for example 120 for a microphone whose 94 dB SPL
 *        calibrator tone reads -26 dBFS); ignored when not calibrated
 */
record Calibration(boolean calibrated, double offsetDb) {

    static final Calibration NONE = new Calibration(false, 0);

    Calibration {
        if (calibrated && !Double.isFinite(offsetDb)) {
            throw new IllegalArgumentException("calibration offset " + offsetDb);
        }
    }

    static Calibration of(double offsetDb) {
        return new Calibration(true, offsetDb);
    }

    double apply(double dbfs) {
        return calibrated ? dbfs + offsetDb : dbfs;
    }

    String unit() {
        return calibrated ? "dB" : "dBFS";
    }
}
