package org.usblogd.store.jdbc;

/**
 * Where a query's samples go in runs: consecutive samples of one channel, in time order across runs. A reader
 * of millions of samples (an export) takes them from the decoded arrays instead of an object per sample.
 */
@FunctionalInterface
public interface SampleRuns {
    /**
     * Samples {@code from} (inclusive) to {@code to} (exclusive) of {@code times} and {@code values}; the arrays
     * are the store's and only valid during the call.
     */
    void run(String device, String channel, String unit, long[] times, double[] values, int from, int to);
}
