package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClockWatchTest {
    private final AtomicLong wall = new AtomicLong(1_795_000_000_000L);
    private final AtomicLong mono = new AtomicLong(42);
    private final ClockWatch watch = new ClockWatch(wall::get, mono::get, 2_000);

    private void pass(long ms) {
        wall.addAndGet(ms);
        mono.addAndGet(ms * 1_000_000);
    }

    @Test
    void aClockThatKeepsPaceIsQuietEvenWithSomeSlew() {
        pass(200);
        assertThat(watch.check()).isEmpty();
        pass(60_000);
        wall.addAndGet(1_500); // NTP slewing, within tolerance
        assertThat(watch.check()).isEmpty();
    }

    @Test
    void aStepForwardAndOneBackAreDescribed() {
        pass(200);
        wall.addAndGet(3_600_000);
        assertThat(watch.check()).hasValueSatisfying(m -> assertThat(m).startsWith(
                "the wall clock stepped forward by 3600000 ms (from 2026-11-18T").contains("gap"));
        pass(200);
        assertThat(watch.check()).isEmpty();
        wall.addAndGet(-10_000);
        assertThat(watch.check()).hasValueSatisfying(m -> assertThat(m).startsWith(
                "the wall clock stepped back by 10000 ms").contains("overlap"));
    }
}
