package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.usblogd.usb.internal.DeviceSupervisor.Rung;
import org.usblogd.usb.internal.DeviceSupervisor.Silent;
import org.usblogd.usb.internal.DeviceSupervisor.Speaking;
import org.usblogd.usb.internal.DeviceSupervisor.Step;

/** The recovery ladder's decisions, on a clock the test moves; no threads, no devices. */
class DeviceSupervisorTest {
    private static final long MS = 1_000_000L;
    /** retry 1 s doubling up to 300 s; stale after 10 periods, at least 1 s; healthy after 10 s; stop within 5 s. */
    private static final DeviceSupervisor.Policy POLICY = new DeviceSupervisor.Policy(1_000, 300_000, 10, 1_000,
            5_000, 10_000, 5_000);

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final DeviceSupervisor supervisor = new DeviceSupervisor(POLICY, now::get);

    @Test
    void failuresInARowAreReopenedTwiceThenResetThenBackedOffWithGrowingPauses() {
        assertThat(supervisor.mayOpen()).isTrue();
        assertThat(failOnce()).isEqualTo(new Step(Rung.REOPEN, 1, 1_000, false, "e"));
        assertThat(supervisor.mayOpen()).as("not before the pause").isFalse();
        advance(1_000);
        assertThat(supervisor.mayOpen()).isTrue();
        assertThat(failOnce().rung()).isEqualTo(Rung.REOPEN);
        advance(2_000);
        Step reset = failOnce();
        assertThat(reset.rung()).isEqualTo(Rung.RESET);
        advance(4_000);
        assertThat(supervisor.takeReset()).isTrue();
        assertThat(supervisor.takeReset()).as("asked once").isFalse();
        assertThat(failOnce()).isEqualTo(new Step(Rung.BACK_OFF, 4, 8_000, false, "e"));
        for (int i = 0; i < 20; i++) {
            advance(300_000);
            failOnce();
        }
        assertThat(supervisor.untilNext()).as("capped").isEqualTo(300_000 * MS);
    }

    @Test
    void aDeviceLeftIdleHasNothingDueUntilASessionStartsAndItsLadderAfterwardsIsUntouched() {
        assertThat(supervisor.untilNext()).as("a new device is due at once").isZero();
        supervisor.leftIdle();
        advance(60_000);
        assertThat(supervisor.untilNext()).as("waits for a driver or a configuration").isEqualTo(Long.MAX_VALUE);
        assertThat(supervisor.mayOpen()).as("still opened once something changes").isTrue();

        assertThat(failOnce()).as("a session, then a failure").isEqualTo(new Step(Rung.REOPEN, 1, 1_000, false, "e"));
        assertThat(supervisor.untilNext()).as("a failed session's pause counts again").isEqualTo(1_000 * MS);
    }

    @Test
    void aDeviceThatDeliversForAHealthyWhileStartsTheLadderFromTheBottom() {
        failOnce();
        advance(1_000);
        failOnce();
        advance(2_000);
        supervisor.sessionStarted();
        deliverEvery(100, 10_100); // twenty good reads and more, for over ten seconds
        assertThat(supervisor.check()).isNull();
        assertThat(supervisor.troubles()).isZero();

        supervisor.sessionEnded(SessionOutcome.FAILED, "one failure after hours");

        assertThat(supervisor.untilNext()).as("the first rung's pause, not the third's").isEqualTo(1_000 * MS);
    }

    @Test
    void failuresAFewGoodReadsApartStillEscalate() {
        for (int i = 1; i <= 4; i++) {
            supervisor.sessionStarted();
            deliverEvery(100, 2_000); // twenty good reads at 10 Hz, two seconds: not yet healthy
            supervisor.check();
            Step step = supervisor.sessionEnded(SessionOutcome.FAILED, "e");
            assertThat(step.troubles()).isEqualTo(i);
            advance(step.waitMs());
        }
        assertThat(supervisor.troubles()).isEqualTo(4);
    }

    @Test
    void silenceClimbsTheSameLadderAndASilentDeviceThatSpeaksIsWelcomedBack() {
        supervisor.sessionStarted();
        deliverEvery(10, 1_000); // a period of 10 ms: stale after 1 s (the minimum)
        advance(1_100);
        Silent first = (Silent) supervisor.check();
        assertThat(first.step().rung()).isEqualTo(Rung.REOPEN);
        assertThat(first.step().why()).startsWith("nothing delivered for 1110 ms (period about 10 ms, limit 1000 ms)");
        assertThat(supervisor.silent()).isTrue();
        reopenedByTheManager();
        advance(1_100);
        assertThat(((Silent) supervisor.check()).step().rung()).isEqualTo(Rung.REOPEN);
        reopenedByTheManager();
        advance(1_100);
        assertThat(((Silent) supervisor.check()).step().rung()).isEqualTo(Rung.RESET);
        reopenedByTheManager();
        assertThat(supervisor.takeReset()).isTrue();
        advance(1_100);
        assertThat(((Silent) supervisor.check()).step().rung()).isEqualTo(Rung.GIVE_UP);
        assertThat(supervisor.gaveUp()).isTrue();
        advance(60_000);
        assertThat(supervisor.check()).as("given up: reported once, left bound").isNull();

        supervisor.watch().delivered();

        assertThat(supervisor.check()).isEqualTo(new Speaking("reopen and reset did not help"));
        assertThat(supervisor.silent()).isFalse();
        assertThat(supervisor.gaveUp()).isFalse();
    }

    @Test
    void aFailureAfterSilenceTakesTheNextRungNotTheFirst() {
        supervisor.sessionStarted();
        deliverEvery(10, 500);
        advance(1_100);
        assertThat(((Silent) supervisor.check()).step().troubles()).isEqualTo(1);
        reopenedByTheManager();

        assertThat(supervisor.sessionEnded(SessionOutcome.FAILED, "e").troubles()).isEqualTo(2);
    }

    @Test
    void aDeviceGoneUnderItsSessionIsOpenedAgainAfterTheFirstPauseWithoutClimbing() {
        failOnce();
        advance(1_000);
        supervisor.sessionStarted();

        Step step = supervisor.sessionEnded(SessionOutcome.GONE, "unplugged");

        assertThat(step.waitMs()).isEqualTo(1_000);
        assertThat(supervisor.troubles()).as("the ladder stays where it was").isEqualTo(1);
    }

    @Test
    void aSessionThatDoesNotStopInTimeIsOverdueAndAbandonedSessionsResetTheDevice() {
        supervisor.sessionStarted();
        supervisor.stopRequested();
        advance(4_999);
        assertThat(supervisor.stopOverdue()).isFalse();
        advance(1);
        assertThat(supervisor.stopOverdue()).isTrue();

        supervisor.abandoned();

        assertThat(supervisor.mayOpen()).isTrue();
        assertThat(supervisor.takeReset()).isTrue();
    }

    @Test
    void aStoppedSessionIsOpenedAgainAtOnceAndLeavesTheLadderAlone() {
        failOnce();
        advance(1_000);
        supervisor.sessionStarted();
        supervisor.stopRequested();

        assertThat(supervisor.sessionEnded(SessionOutcome.STOPPED, null)).isNull();

        assertThat(supervisor.mayOpen()).isTrue();
        assertThat(supervisor.troubles()).isEqualTo(1);
    }

    private Step failOnce() {
        supervisor.sessionStarted();
        return supervisor.sessionEnded(SessionOutcome.FAILED, "e");
    }

    private void reopenedByTheManager() {
        supervisor.stopRequested();
        supervisor.sessionEnded(SessionOutcome.STOPPED, null);
        assertThat(supervisor.mayOpen()).isTrue();
        supervisor.sessionStarted();
    }

    private void deliverEvery(long everyMs, long forMs) {
        for (long t = 0; t < forMs; t += everyMs) {
            supervisor.watch().delivered();
            advance(everyMs);
        }
    }

    private void advance(long ms) {
        now.addAndGet(ms * MS);
    }
}
