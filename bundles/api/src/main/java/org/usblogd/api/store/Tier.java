package org.usblogd.api.store;

/** How finely samples are kept: every sample, or per-minute and per-hour summaries kept longer. */
public enum Tier {
    RAW(0), MINUTE(60_000_000L), HOUR(3_600_000_000L);

    private final long micros;

    Tier(long micros) {
        this.micros = micros;
    }

    /** The bucket length in microseconds; 0 for raw samples. */
    public long micros() {
        return micros;
    }

    /** The start of the bucket holding {@code t}. */
    public long bucket(long t) {
        return Math.floorDiv(t, micros) * micros;
    }
}
