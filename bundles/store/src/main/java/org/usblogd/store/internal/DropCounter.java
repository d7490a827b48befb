package org.usblogd.store.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the store had to drop, per device, with the time span they cover; the writer turns what is new
 * since its last report into one {@code samples.dropped} event per device.
 */
final class DropCounter {
    private static final Logger log = LoggerFactory.getLogger(DropCounter.class);

    private static final class Span {
        long count;
        long reported;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
    }

    private final Map<String, Span> spans = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final String because;

    /** @param because why samples are dropped, as the event says it: "because ..." */
    DropCounter(String because) {
        this.because = because;
    }

    void count(String deviceKey, long t) {
        count(deviceKey, 1, t, t);
    }

    /** {@code n} samples of a device taken from {@code first} to {@code last}. */
    void count(String deviceKey, long n, long first, long last) {
        total.addAndGet(n);
        Span s = spans.computeIfAbsent(deviceKey, k -> new Span());
        synchronized (s) {
            s.count += n;
            s.first = Math.min(s.first, first);
            s.last = Math.max(s.last, last);
        }
    }

    long total() {
        return total.get();
    }

    /** The samples dropped since start, by device; devices that lost none are left out. */
    Map<String, Long> byDevice() {
        Map<String, Long> result = new java.util.HashMap<>();
        spans.forEach((device, s) -> {
            synchronized (s) {
                result.put(device, s.count);
            }
        });
        return result;
    }

    /** Emits an event per device that lost samples since the last report. */
    void reportTo(Consumer<StoreOp.Event> writer, long nowMicros) {
        spans.forEach((device, s) -> {
            long n;
            long first;
            long last;
            long all;
            synchronized (s) {
                n = s.count - s.reported;
                if (n == 0) {
                    return;
                }
                s.reported = s.count;
                first = s.first;
                last = s.last;
                all = s.count;
                s.first = Long.MAX_VALUE;
                s.last = Long.MIN_VALUE;
            }
            String message = n + " sample(s) dropped, the oldest first, because " + because + "; they"
                    + " were taken from " + Instant.ofEpochSecond(first / 1_000_000, first % 1_000_000 * 1_000) + " to "
                    + Instant.ofEpochSecond(last / 1_000_000, last % 1_000_000 * 1_000) + " (" + all + " since start)";
            log.warn("{}: {}", device, message);
            writer.accept(new StoreOp.Event(device, "samples.dropped", message, nowMicros));
        });
    }
}
