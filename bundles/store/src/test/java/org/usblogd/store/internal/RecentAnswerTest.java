package org.usblogd.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.usblogd.api.store.StoreException;

/** An expensive query's answer, shared by the callers that come while it runs and shortly after. */
class RecentAnswerTest {

    @Test
    void callersThatComeWhileTheQueryRunsWaitForItInsteadOfRunningTheirOwn() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        RecentAnswer<Integer> answer = new RecentAnswer<>(() -> {
            int n = runs.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return n;
        }, 1, TimeUnit.HOURS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                callers.add(pool.submit(answer::get));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<Integer> f : callers) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void anAnswerOlderThanItsAgeIsAskedForAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        RecentAnswer<Integer> answer = new RecentAnswer<>(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);
        assertThat(answer.get()).isEqualTo(1);
        assertThat(answer.get()).isEqualTo(1);
        Thread.sleep(120);
        assertThat(answer.get()).isEqualTo(2);
    }

    @Test
    void aFailedQueryIsNotKept() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        RecentAnswer<Integer> answer = new RecentAnswer<>(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new StoreException("the store is closing", null);
            }
            return runs.get();
        }, 1, TimeUnit.HOURS);
        assertThatThrownBy(answer::get).isInstanceOf(StoreException.class);
        assertThat(answer.get()).isEqualTo(2);
    }
}
