package org.usblogd.api.store;

import java.time.Instant;

/** Times as the store keeps them: microseconds since the epoch, UTC. */
public final class Micros {
    private Micros() {
    }

    /** @throws ArithmeticException for an instant beyond what microseconds in a long hold (about 290,000 years) */
    public static long of(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
