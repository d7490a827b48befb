package org.usblogd.usb.internal;

import java.util.function.LongSupplier;

/**
 * How one attached device is brought back, whatever went wrong: a session that failed and a device that
 * fell silent climb the same ladder. Each trouble in a row takes the next rung: open it again (twice), reset
 * it on the bus and open it again, then back off with a growing pause (a failing device) or give up and
 * report it (a silent one, which stays bound in case it speaks). The ladder starts from the bottom again
 * only once the device has delivered for a healthy while, so a device that fails after every few good reads
 * is not reopened at full speed for ever, and one that works for hours is not punished for one failure.
 *
 * <p>Driven by the device manager's thread and an injected monotonic clock; it starts no threads and
 * touches no devices, so its decisions are tested on their own.
 */
final class DeviceSupervisor {

    /** The rungs of the ladder. */
    enum Rung {
        REOPEN, RESET, BACK_OFF, GIVE_UP;

        /** The rung for the {@code troubles}-th trouble in a row (1-based). */
        static Rung after(int troubles, boolean silence) {
            if (troubles <= 2) {
                return REOPEN;
            }
            if (troubles == 3) {
                return RESET;
            }
            return silence ? GIVE_UP : BACK_OFF;
        }

        String event() {
            return "recovery." + name().toLowerCase().replace('_', '-');
        }
    }

    /** What the supervisor's settings are; intervals in milliseconds. */
    record Policy(long retryInitialMs, long retryMaxMs, long staleMultiple, long staleMinMs, long staleFirstMs,
            long healthyMs, long stopTimeoutMs) {
    }

    /**
     * A step up the ladder.
     *
     * @param waitMs how long until the device is opened again (0: at once; for GIVE_UP it stays bound)
     */
    record Step(Rung rung, int troubles, long waitMs, boolean silence, String why) {
    }

    /** What {@link #check} found about a running session. */
    sealed interface Finding {
    }

    /** The device fell silent: take this step. */
    record Silent(Step step) implements Finding {
    }

    /** A silent device delivers again. */
    record Speaking(String after) implements Finding {
    }

    private Policy policy;
    private final LongSupplier nanos;
    private final StaleWatch watch;
    private int troubles;
    private Rung lastRung;
    private long retryAt;
    private boolean resetBeforeOpen;
    private boolean running;
    private boolean idle;
    private long stopRequestedAt;
    private boolean stopRequested;
    private long sessionStart;
    private long deliveriesAtStart;
    private boolean silent;
    private boolean gaveUp;
    private long deliveriesWhenSilent;

    /** A changed configuration: from the next decision on. */
    void policy(Policy policy) {
        this.policy = policy;
    }

    DeviceSupervisor(Policy policy, LongSupplier nanos) {
        this.policy = policy;
        this.nanos = nanos;
        this.watch = new StaleWatch(nanos);
        this.retryAt = nanos.getAsLong();
    }

    /** Learns the device's period from what it delivers; its sessions' sinks report to it. */
    StaleWatch watch() {
        return watch;
    }

    /** Whether a session may be opened now. */
    boolean mayOpen() {
        return !running && nanos.getAsLong() - retryAt >= 0;
    }

    /** Whether the next session must reset the device first; asking clears it. */
    boolean takeReset() {
        boolean r = resetBeforeOpen;
        resetBeforeOpen = false;
        return r;
    }

    /**
     * No session was opened when one could have been (no driver takes the device, or it is disabled): nothing
     * is due until a driver or a configuration changes, and those wake the manager themselves.
     */
    void leftIdle() {
        idle = true;
    }

    void sessionStarted() {
        running = true;
        idle = false;
        stopRequested = false;
        sessionStart = nanos.getAsLong();
        watch.restart();
        deliveriesAtStart = watch.deliveries();
    }

    /** The manager asked the session to stop; it is abandoned if it does not within the stop timeout. */
    void stopRequested() {
        if (!stopRequested) {
            stopRequested = true;
            stopRequestedAt = nanos.getAsLong();
        }
    }

    boolean stopping() {
        return stopRequested;
    }

    boolean stopOverdue() {
        return running && stopRequested && nanos.getAsLong() - stopRequestedAt >= policy.stopTimeoutMs() * 1_000_000L;
    }

    /** A session that would not stop was taken away from its driver: reset the device and open it again now. */
    void abandoned() {
        running = false;
        stopRequested = false;
        resetBeforeOpen = true;
        retryAt = nanos.getAsLong();
    }

    /**
     * A session ended. One that was asked to stop (a driver swap, new settings, a silent device reopened)
     * is opened again at once and leaves the ladder where it is; a failure takes the next rung.
     */
    Step sessionEnded(SessionOutcome outcome, String error) {
        long now = nanos.getAsLong();
        if (running) {
            noteHealth(now);
        }
        running = false;
        stopRequested = false;
        if (outcome == SessionOutcome.STOPPED) {
            retryAt = now;
            return null;
        }
        if (outcome == SessionOutcome.GONE) {
            // usually the device leaving (its departure follows), or re-enumerating after a reset: not the
            // device failing, so no rung is taken; it is opened again after the first pause if it is still there
            long wait = policy.retryInitialMs();
            retryAt = now + wait * 1_000_000L;
            return new Step(Rung.REOPEN, troubles, wait, false, error);
        }
        troubles++;
        Rung rung = Rung.after(troubles, false);
        long wait = Math.min(policy.retryMaxMs(), policy.retryInitialMs() << Math.min(troubles - 1, 20));
        retryAt = now + wait * 1_000_000L;
        resetBeforeOpen = rung == Rung.RESET;
        lastRung = rung;
        return new Step(rung, troubles, wait, false, error);
    }

    /**
     * Looks at a running session: a silent device takes the next rung, a silent device that speaks again is
     * welcomed back, and a device that has delivered for a healthy while starts the ladder from the bottom.
     */
    Finding check() {
        if (!running || stopRequested) {
            return null;
        }
        long now = nanos.getAsLong();
        long deliveries = watch.deliveries();
        if (silent && deliveries > deliveriesWhenSilent) {
            silent = false;
            gaveUp = false;
            return new Speaking(lastRung == Rung.REOPEN ? "it was reopened" : lastRung == Rung.RESET ? "it was reset"
                    : "reopen and reset did not help");
        }
        noteHealth(now);
        long limit = watch.limitMs(policy.staleMultiple(), policy.staleMinMs(), policy.staleFirstMs());
        long silentMs = watch.silentMs();
        if (gaveUp || silentMs <= limit) {
            return null;
        }
        String why = "nothing delivered for " + silentMs + " ms (period " + (watch.periodMs() == 0 ? "not known yet"
                : "about " + watch.periodMs() + " ms") + ", limit " + limit + " ms)";
        troubles++;
        silent = true;
        deliveriesWhenSilent = deliveries;
        Rung rung = Rung.after(troubles, true);
        lastRung = rung;
        if (rung == Rung.GIVE_UP) {
            gaveUp = true;
        } else {
            resetBeforeOpen = rung == Rung.RESET;
            retryAt = now;
        }
        return new Silent(new Step(rung, troubles, 0, true, why));
    }

    /** A session that has delivered, and not fallen silent, for a healthy while puts the ladder back at the bottom. */
    private void noteHealth(long now) {
        if (troubles > 0 && !silent && watch.deliveries() > deliveriesAtStart
                && watch.silentMs() <= watch.limitMs(policy.staleMultiple(), policy.staleMinMs(), policy.staleFirstMs())
                && now - sessionStart >= policy.healthyMs() * 1_000_000L) {
            troubles = 0;
            lastRung = null;
        }
    }

    /** Whether the device is silent beyond its limit and not yet speaking again. */
    boolean silent() {
        return silent;
    }

    /** Whether the device stayed silent after it was reopened and reset. */
    boolean gaveUp() {
        return gaveUp;
    }

    /** Troubles in a row since the device last delivered for a healthy while. */
    int troubles() {
        return troubles;
    }

    /** Nanoseconds until the supervisor next has something to decide, or Long.MAX_VALUE. */
    long untilNext() {
        long now = nanos.getAsLong();
        if (!running) {
            return idle ? Long.MAX_VALUE : Math.max(0, retryAt - now);
        }
        if (stopRequested) {
            return Math.max(0, stopRequestedAt + policy.stopTimeoutMs() * 1_000_000L - now);
        }
        return Long.MAX_VALUE;
    }
}
