package org.usblogd.store.internal;

import org.usblogd.api.sample.SampleSink;

/**
 * The store's two clocks: the monotonic one for every interval and timer (commits, syncs, retries, idle
 * blocks), which a wall-clock step cannot stop or hurry, and the wall clock only for what is recorded
 * (event times) and for noticing steps. Tests inject their own.
 */
interface StoreClock {
    StoreClock SYSTEM = new StoreClock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long wallMicros() {
            return SampleSink.nowMicros();
        }
    };

    long nanos();

    long wallMicros();
}
