package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.usblogd.usb.internal.Await.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.testing.counter.twin.CounterTwin;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * Native memory is never reached after libusb freed it, whatever the order and timing of the ways a
 * session ends: its own close, an abort on departure, a second thread closing the same stream or
 * connection, the device unplugged under it, the backend stopped with the session still streaming. Each
 * round is a fresh testbed without udevd (so a libusb context per burst of arrivals), ended at a random
 * moment in one of several orders. A use after free shows as a JVM crash (an hs_err file), a hung close,
 * or an IllegalStateException from usb4java about a pointer it had already reset.
 */
@Timeout(120)
class LibUsbTeardownStressTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int ROUNDS = Integer.getInteger("usblogd.stress.rounds", 24);
    private static final int DEVICES = 3;
    /** Many transfers in flight: a close takes a while to cancel them all, so a racing close finds it busy. */
    private static final int IN_FLIGHT = 16;

    private enum Ending {
        /** What the core does: stop listening, end every session, then deactivate the backend. */
        SESSIONS_THEN_BACKEND,
        /** The backend stops while the sessions are being ended, and a device leaves meanwhile. */
        SESSIONS_AND_BACKEND_AT_ONCE,
        /** The backend stops under sessions that still stream; they end afterwards. */
        BACKEND_THEN_SESSIONS
    }

    @Test
    void sessionsEndingInAnyOrderWhileDevicesReplugAndTheBackendStopsNeverTouchFreedMemory() throws Exception {
        long seed = Long.getLong("usblogd.stress.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("teardown stress: %d rounds, seed %d (-Dusblogd.stress.seed=%d repeats them)%n", ROUNDS,
                seed, seed);
        long started = System.nanoTime();
        Map<Ending, AtomicInteger> endings = new ConcurrentHashMap<>();
        long sessions = 0;
        long reads = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
            endings.computeIfAbsent(ending, e -> new AtomicInteger()).incrementAndGet();
            ChurningSessions s;
            try {
                s = round(random, ending);
            } catch (AssertionError | Exception e) {
                System.out.printf("teardown stress: round %d (%s) failed (seed %d): %s; threads:%n%s", round, ending,
                        seed, e, threadDump());
                throw e;
            }
            sessions += s.all.size();
            reads += s.reads.get();
            assertThat(s.problems).as("problems in round %d (%s), seed %d", round, ending, seed).isEmpty();
        }
        System.out.printf("teardown stress: %d rounds in %d ms (%s), %d sessions, %d reads, no problem%n", ROUNDS,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), endings, sessions, reads);
        assertThat(sessions).as("sessions started").isGreaterThanOrEqualTo((long) ROUNDS * DEVICES);
        assertThat(reads).as("reports read").isPositive();
    }

    private static String threadDump() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                sb.append("    at ").append(e).append('\n');
            }
        });
        return sb.toString();
    }

    private ChurningSessions round(Random random, Ending ending) throws Exception {
        UsbTestbed testbed = new UsbTestbed().withoutUdevd();
        List<EmulatedUsbDevice> plugged = new ArrayList<>();
        int[] address = { 10 };
        for (int port = 1; port <= DEVICES; port++) {
            plugged.add(testbed.plug(CounterTwin.keepingNewest("S" + port, PERIOD, 10), 1, port, address[0]++));
        }
        LibUsbBackend backend = LibUsbHarness.backend(testbed);
        backend.handlesCloseWaitMs = 200;
        ChurningSessions sessions = new ChurningSessions(new Random(random.nextLong()));
        try {
            LibUsbHarness.activate(backend, "sysfs", 20);
            backend.start(sessions);
            await("a session reading", () -> sessions.reads.get() > 0,
                    () -> "devices " + testbed.devices().size() + " plugged, " + backend.contexts().size()
                            + " libusb context(s), sessions " + sessions.all + ", problems " + sessions.problems);

            // churn: devices replugged (a burst gets a context of its own), sessions ending on their own and
            // being aborted or closed from another thread, for a random while
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(500));
            while (System.nanoTime() < until) {
                switch (random.nextInt(4)) {
                case 0:
                    int i = random.nextInt(plugged.size());
                    EmulatedUsbDevice d = plugged.get(i);
                    testbed.unplug(d);
                    plugged.set(i, testbed.plug(CounterTwin.keepingNewest(d.info().serialNumber(), PERIOD, 10), 1, i + 1,
                            address[0]++));
                    break;
                case 1:
                    sessions.interfere();
                    break;
                default:
                    break;
                }
                Thread.sleep(random.nextInt(40));
            }

            switch (ending) {
            case SESSIONS_THEN_BACKEND:
                backend.stop(sessions);
                sessions.leaveAll(random.nextBoolean());
                backend.deactivate();
                break;
            case SESSIONS_AND_BACKEND_AT_ONCE:
                backend.stop(sessions);
                Thread stopper = new Thread(() -> {
                    try {
                        backend.deactivate();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "stress-deactivate");
                Thread.sleep(random.nextInt(30));
                stopper.start();
                testbed.unplug(plugged.get(random.nextInt(plugged.size())));
                sessions.leaveAll(random.nextBoolean());
                stopper.join(20_000);
                assertThat(stopper.isAlive()).as("deactivate still running after 20 s").isFalse();
                break;
            case BACKEND_THEN_SESSIONS:
                backend.deactivate();
                sessions.interfere();
                sessions.leaveAll(random.nextBoolean());
                break;
            default:
                throw new AssertionError(ending);
            }
            sessions.awaitAllEnded();
        } finally {
            backend.deactivate();
            testbed.close();
        }
        assertThat(LibUsbHotplugTest.threads("usb-libusb-")).as("event and lifecycle threads after stop").isZero();
        assertThat(LibUsbHotplugTest.threads("usb-sysfs-watcher")).as("watcher threads after stop").isZero();
        assertThat(LibUsbHotplugTest.threads("stress-")).as("session threads after stop").isZero();
        // nothing held a context beyond its time: every one was exited, none left open
        assertThat(backend.contexts()).as("contexts after stop").isEmpty();
        assertThat(backend.contextsExited()).as("contexts exited").isEqualTo(backend.contextsCreated());
        return sessions;
    }

    /**
     * Sessions that read a {@link CounterTwin} until the device leaves, and meanwhile end on their own at
     * random moments (closing their stream and connection while someone else may be closing them too).
     */
    static final class ChurningSessions extends ReaderSessions<ChurningSessions.Session> {
        final AtomicLong reads = new AtomicLong();
        private final Random random;

        ChurningSessions(Random random) {
            super("stress-session");
            this.random = random;
        }

        final class Session extends ReaderSession {
            /** How long the session lives before it ends on its own. */
            final long ownLifeNanos;
            /** When the session ends on its own, once counting; on the session's thread. */
            private long ownEndNanos;
            private boolean counting;

            /**
             * @param fromFirstReport whether its life counts from its first report rather than from now: the
             *        round's first sessions do, or all of them might end on their own before any report came
             *        (on a busy machine opening takes a while) and nothing would read until the churn; the
             *        later ones count from their start, so some end with every transfer still in flight
             */
            Session(BackendDevice device, long ownLifeNanos, boolean fromFirstReport) {
                super(device, problems, IN_FLIGHT, 200);
                this.ownLifeNanos = ownLifeNanos;
                if (!fromFirstReport) {
                    count();
                }
            }

            private void count() {
                counting = true;
                ownEndNanos = System.nanoTime() + ownLifeNanos;
            }

            @Override
            boolean goOn() {
                return !counting || System.nanoTime() - ownEndNanos < 0;
            }

            @Override
            void received(byte[] buffer, int length) {
                if (!counting) {
                    count();
                }
                reads.incrementAndGet();
            }

            /** A device that left says GONE, a connection closed by someone else CLOSED; both are ordinary. */
            @Override
            boolean expected(UsbException e) {
                return e.kind() == Kind.GONE || e.kind() == Kind.CLOSED;
            }
        }

        @Override
        Session session(BackendDevice device) {
            // a third of the sessions end on their own within a few hundred milliseconds
            long ownLife = random.nextInt(3) == 0 ? TimeUnit.MILLISECONDS.toNanos(random.nextInt(300))
                    : Long.MAX_VALUE / 2;
            return new Session(device, ownLife, reads.get() == 0);
        }

        /** Someone else closes a random session's stream or connection, or aborts it, from this thread. */
        void interfere() {
            List<Session> running = all.stream().filter(s -> !s.ended).toList();
            if (running.isEmpty()) {
                return;
            }
            Session s = running.get(random.nextInt(running.size()));
            switch (random.nextInt(3)) {
            case 0:
                InStream stream = s.stream;
                if (stream != null) {
                    stream.close();
                }
                break;
            case 1:
                DeviceConnection c = s.connection;
                if (c != null) {
                    c.close();
                }
                break;
            default:
                s.leave();
                break;
            }
        }

        /** Every session is left, from this thread or, in parallel, from one thread each. */
        void leaveAll(boolean inParallel) throws InterruptedException {
            List<Thread> leavers = new ArrayList<>();
            for (BackendDevice d : present()) {
                if (inParallel) {
                    Thread t = new Thread(() -> left(d), "stress-leave");
                    t.start();
                    leavers.add(t);
                } else {
                    left(d);
                }
            }
            for (Thread t : leavers) {
                t.join(10_000);
            }
        }

        void awaitAllEnded() {
            // sessions of a device whose departure was never reported end when their reads fail
            all.forEach(Session::leave);
            await("every session ended", () -> all.stream().allMatch(s -> s.ended));
        }
    }
}
