package org.usblogd.usb.internal;

/** Counts the core's threads by the prefix of their name, for tests that check what is still running. */
final class Threads {
    private Threads() {
    }

    /** Threads whose name starts so, now. */
    static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    /** Threads of that name still alive after up to 2 s. */
    static long liveThreads(String prefix) {
        long deadline = System.currentTimeMillis() + 2_000;
        long n;
        do {
            n = threads(prefix);
        } while (n > 0 && System.currentTimeMillis() < deadline && sleep(20));
        return n;
    }

    /** Sleeps; false, the interrupt kept, when the sleep was interrupted. */
    static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
