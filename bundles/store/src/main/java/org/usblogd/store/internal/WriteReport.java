package org.usblogd.store.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the writer tells the log: each channel's first stored sample, then how many were stored a minute. */
final class WriteReport {
    private static final Logger log = LoggerFactory.getLogger(WriteReport.class);
    private static final long EVERY_NANOS = 60_000_000_000L;

    /** Channels whose first sample was said; a device that comes back is not said again. */
    private final Set<ChannelRef> logged = new HashSet<>();
    private long lastAt;
    private long lastTotal;
    private boolean started;

    void committed(List<Block> blocks, long total, long nowNanos) {
        for (Block b : blocks) {
            if (b.size() > 0 && logged.add(b.channel)) {
                log.info("{}: first {} sample stored: {} {}", b.channel.deviceKey, b.channel.channel.name(),
                        b.firstValue(), b.channel.channel.unit());
            }
        }
        if (!started) {
            started = true;
            lastAt = nowNanos;
            lastTotal = total;
        } else if (nowNanos - lastAt >= EVERY_NANOS) {
            if (total > lastTotal) {
                log.info("store: {} samples stored in the last minute, {} since start", total - lastTotal, total);
            }
            lastAt = nowNanos;
            lastTotal = total;
        }
    }
}
