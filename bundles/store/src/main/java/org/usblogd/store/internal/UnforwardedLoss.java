package org.usblogd.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.usblogd.store.jdbc.BlockCodec;
import org.usblogd.store.jdbc.ForwardLog;

/**
 * What the disk budget takes that an output has not forwarded yet: counted block by block as they are given up,
 * against the cursor of the output furthest behind in each channel, so that the event can say how many samples
 * no output will ever send and from when to when they were recorded.
 */
final class UnforwardedLoss {
    private final Connection connection;
    private final Collection<String> outputs;
    private final Map<Long, Long> forwarded = new HashMap<>();
    private long samples;
    private long fromMicros = Long.MAX_VALUE;
    private long toMicros = Long.MIN_VALUE;

    /** @param outputs the outputs retention waits for; null: every output with cursors */
    UnforwardedLoss(Connection connection, Collection<String> outputs) {
        this.connection = connection;
        this.outputs = outputs;
    }

    /** One block about to be given up. */
    void add(long channelId, long firstMicros, long lastMicros, int n, byte[] data) throws SQLException {
        long cursor = forwarded.computeIfAbsent(channelId, id -> {
            try {
                return ForwardLog.forwardedByAll(connection, id, outputs);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        if (lastMicros <= cursor) {
            return; // every output has it
        }
        if (firstMicros > cursor) {
            count(n, firstMicros, lastMicros);
            return;
        }
        // the block the cursor stops in: its own times tell
        long[] times;
        try {
            times = BlockCodec.decode(data).times();
        } catch (IllegalArgumentException e) {
            count(n, firstMicros, lastMicros); // a damaged block: all of it, as the worst case
            return;
        }
        int after = 0;
        long first = Long.MAX_VALUE;
        for (long t : times) {
            if (t > cursor) {
                after++;
                first = Math.min(first, t);
            }
        }
        if (after > 0) {
            count(after, first, lastMicros);
        }
    }

    private void count(long n, long from, long to) {
        samples += n;
        fromMicros = Math.min(fromMicros, from);
        toMicros = Math.max(toMicros, to);
    }

    long samples() {
        return samples;
    }

    long fromMicros() {
        return fromMicros;
    }

    long toMicros() {
        return toMicros;
    }
}
