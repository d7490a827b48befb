package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The one way the core's tests wait for something that happens on other threads. */
public final class Await {
    private Await() {
    }

    /** Waits up to 10 s for the condition, looking every 5 ms; fails the test naming what did not happen. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> null);
    }

    /** As {@link #await(String, BooleanSupplier)}; a failure also says what {@code seen} saw at the end. */
    public static void await(String what, BooleanSupplier condition, Supplier<?> seen) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what + seen(seen));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String seen(Supplier<?> seen) {
        try {
            Object state = seen.get();
            return state == null ? "" : " (" + state + ")";
        } catch (RuntimeException e) {
            return " (what it saw could not be read: " + e + ")";
        }
    }
}
