package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;

/** Sample times that never run backwards, whatever the wall clock and the drivers do. */
class DeviceTimeTest {
    private static final long HOUR = 3_600_000_000L;
    private final AtomicLong wall = new AtomicLong(1_800_000_000_000_000L);
    private final AtomicLong mono = new AtomicLong(5_000_000_000L);
    private final DeviceTime time = new DeviceTime(wall::get, mono::get);

    @Test
    void aStepBackOfAnHourIsRidOutAtHalfSpeedUntilTheWallClockCatchesUp() {
        long before = time.now();
        advance(1_000_000);
        assertThat(time.now()).isEqualTo(before + 1_000_000);

        wall.addAndGet(-HOUR);
        long last = time.now();
        for (int second = 1; second <= 2 * 3_600; second++) {
            advance(1_000_000);
            long t = time.now();
            assertThat(t).as("second %d after the step", second).isGreaterThan(last);
            last = t;
        }
        assertThat(last).as("two hours later it follows the wall clock again").isEqualTo(wall.get());
        advance(1_000_000);
        assertThat(time.now()).isEqualTo(wall.get());
    }

    @Test
    void aStepForwardIsFollowedAtOnce() {
        long before = time.now();
        wall.addAndGet(HOUR);
        advance(10);
        assertThat(time.now()).isEqualTo(before + HOUR + 10);
    }

    @Test
    void aChannelsTimesStayInOrderAndTheAdjustmentIsSaidOnce() {
        List<Long> stored = new ArrayList<>();
        List<String> events = new ArrayList<>();
        SampleSink target = new SampleSink() {
            @Override
            public void declare(Channel channel) {
            }

            @Override
            public void accept(String channel, long timeMicros, double value) {
                stored.add(timeMicros);
            }

            @Override
            public void event(String kind, String message) {
                events.add(kind);
            }
        };
        SessionSink sink = new SessionSink("d", target, time, new StaleWatch(mono::get));

        sink.accept("a", 1_000, 1);
        sink.accept("a", 900, 2); // a driver's idea of time went back
        sink.accept("a", 1_000, 3);
        sink.accept("b", 500, 4); // another channel has its own order

        assertThat(stored).containsExactly(1_000L, 1_001L, 1_002L, 500L);
        assertThat(events).containsExactly("time.adjusted");

        SessionSink next = new SessionSink("d", target, time, new StaleWatch(mono::get));
        next.accept("a", 10, 5);
        assertThat(stored.get(4)).as("a later session of the device neither").isEqualTo(1_003L);

        sink.close();
        sink.accept("a", 5_000, 6);
        assertThat(stored).as("a closed sink passes nothing").hasSize(5);
    }

    private void advance(long micros) {
        wall.addAndGet(micros);
        mono.addAndGet(micros * 1_000);
    }
}
