package org.usblogd.outputs.internal;

/** How long to wait before the next attempt after failures in a row: doubling from a first delay up to a cap. */
final class BackOff {
    private final long firstNanos;
    private final long capNanos;
    private long next;

    BackOff(long firstNanos, long capNanos) {
        this.firstNanos = firstNanos;
        this.capNanos = capNanos;
        this.next = firstNanos;
    }

    /** The wait before the next attempt after one more failure. */
    long failed() {
        long wait = next;
        next = Math.min(capNanos, next * 2);
        return wait;
    }

    void succeeded() {
        next = firstNanos;
    }
}
