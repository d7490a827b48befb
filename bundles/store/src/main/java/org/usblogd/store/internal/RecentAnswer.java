package org.usblogd.store.internal;

import java.util.concurrent.TimeUnit;

import org.usblogd.api.store.StoreException;

/**
 * One answer of an expensive query, shared: callers within {@code maxAge} of the last answer get it again, and
 * callers that come while it is being computed wait for that computation instead of starting their own. The
 * device listing and the newest values read every block of a big database; with a page open in several
 * browsers and a Prometheus scraping, each asking every few seconds, they would otherwise hold every
 * connection of the store's pool, which its maintenance and the writer's reconnect need too.
 */
final class RecentAnswer<T> {
    /** The query; may throw. */
    interface Query<T> {
        T run() throws StoreException;
    }

    private final Query<T> query;
    private final long maxAgeNanos;
    private T answer;
    private long answeredAt;
    private boolean answered;

    RecentAnswer(Query<T> query, long maxAge, TimeUnit unit) {
        this.query = query;
        this.maxAgeNanos = unit.toNanos(maxAge);
    }

    /** A failed query is not kept: the next caller asks again. */
    synchronized T get() throws StoreException {
        long now = System.nanoTime();
        if (answered && now - answeredAt < maxAgeNanos) {
            return answer;
        }
        T fresh = query.run();
        answer = fresh;
        answeredAt = System.nanoTime();
        answered = true;
        return fresh;
    }
}
