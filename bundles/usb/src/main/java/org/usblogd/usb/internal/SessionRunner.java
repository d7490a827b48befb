package org.usblogd.usb.internal;

import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.BackendDevice;

/**
 * Runs one driver's session on one device, on a thread of its own: open the device (or take it over from the
 * swap bridge of the driver before), let the driver open its session, poll until told to stop, and then,
 * whatever happened, close the session and release the device, or hand it to a swap bridge when the session
 * ends because its driver is swapped. The outcome goes back to the device manager, which takes the bridge.
 */
final class SessionRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SessionRunner.class);

    private final BackendDevice device;
    private final DeviceIdentity identity;
    private final DriverRef driver;
    private final SessionSink sink;
    private final DeviceSettings settings;
    private final boolean resetFirst;
    private final BiConsumer<SessionRunner, String> ended;
    private final SwapBridge inherited;
    /** What a bridge this session hands the device to may do; null: the device is always given back. */
    private final SwapBridge.Terms swapTerms;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile Throwable failure;
    private volatile CoreDeviceLink link;
    private volatile SessionOutcome outcome;
    private volatile long polls;
    /** Under this: the session is to hand the device to a swap bridge as it ends. */
    private boolean handOver;
    /** Under this: the core stopped the session outright; no bridge is made, and one made already is closed. */
    private boolean stopped;
    /** Under this: the bridge the session handed the device to, until the manager takes it. */
    private SwapBridge bridge;

    /** Consecutive transient failures (other than timeouts) tolerated before the session gives up. */
    static final int TRANSIENT_LIMIT = 5;

    SessionRunner(BackendDevice device, DeviceIdentity identity, DriverRef driver, SessionSink sink,
            DeviceSettings settings, boolean resetFirst, BiConsumer<SessionRunner, String> ended) {
        this(device, identity, driver, sink, settings, resetFirst, null, null, ended);
    }

    /**
     * @param inherited the bridge of the driver swapped out, whose device this session takes over; or null
     * @param swapTerms for the bridge this session hands the device to when its driver is swapped; null for none
     */
    SessionRunner(BackendDevice device, DeviceIdentity identity, DriverRef driver, SessionSink sink,
            DeviceSettings settings, boolean resetFirst, SwapBridge inherited, SwapBridge.Terms swapTerms,
            BiConsumer<SessionRunner, String> ended) {
        this.inherited = inherited;
        this.swapTerms = swapTerms;
        this.settings = settings;
        this.resetFirst = resetFirst;
        this.device = device;
        this.identity = identity;
        this.driver = driver;
        this.sink = sink;
        this.ended = ended;
        this.thread = new Thread(this, "usb-session-" + identity.key());
    }

    void start() {
        thread.start();
    }

    DriverRef driver() {
        return driver;
    }

    DeviceSettings settings() {
        return settings;
    }

    DeviceIdentity identity() {
        return identity;
    }

    SessionOutcome outcome() {
        return outcome;
    }

    long polls() {
        return polls;
    }

    /**
     * Asks the session to end and wakes it if it is blocked in a transfer; does not wait. A bridge it handed
     * the device to, and the manager has not taken, is closed: the device left, or the core stops.
     */
    void stop() {
        SwapBridge b;
        synchronized (this) {
            stopped = true;
            b = bridge;
            bridge = null;
        }
        stopping = true;
        CoreDeviceLink l = link;
        if (l != null) {
            l.abort();
        }
        if (b != null) {
            b.close();
        }
    }

    /**
     * Asks the session to end because its driver is swapped: the transfer under way is let finish (its data
     * is stored), and the device, open and claimed, goes to a swap bridge that reads on where the driver left
     * off. Does not wait; a later {@link #stop} still ends it outright.
     */
    synchronized void handOver() {
        if (!stopped) {
            handOver = true;
            stopping = true;
        }
    }

    /** Whether the session was asked to hand over, and has not been stopped outright since. */
    synchronized boolean handingOver() {
        return handOver && !stopped;
    }

    /** The bridge the ended session handed the device to; the caller owns it from now on. Null when none. */
    synchronized SwapBridge takeBridge() {
        SwapBridge b = bridge;
        bridge = null;
        return b;
    }

    /** What a driver threw, when the session failed because of it. */
    Throwable failure() {
        return failure;
    }

    String threadName() {
        return thread.getName();
    }

    /**
     * Takes the device away from a session that would not stop: its link is closed from the caller's
     * thread (the driver's thread may be stuck in driver code, never in the link's bookkeeping), and its
     * end is no longer reported.
     */
    void abandon() {
        SwapBridge b;
        synchronized (this) {
            abandoned = true; // no bridge is made from here on, and one made already is closed
            b = bridge;
            bridge = null;
        }
        stopping = true;
        sink.close();
        CoreDeviceLink l = link;
        if (l != null) {
            l.abort();
            l.releaseAndClose();
        }
        if (b != null) {
            b.close();
        }
    }

    boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void resetDevice(CoreDeviceLink l) throws UsbException {
        try {
            l.resetDevice();
            log.info("{}: device reset", identity);
        } catch (UsbException e) {
            if (e.kind() == UsbException.Kind.GONE) {
                throw e;
            }
            log.warn("{}: reset failed ({}); opening the session anyway", identity, e.getMessage());
        }
    }

    @Override
    public void run() {
        String error = null;
        SessionOutcome result = SessionOutcome.STOPPED;
        DriverSession session = null;
        try {
            CoreDeviceLink l = inherited != null ? CoreDeviceLink.takingOver(device.info(), inherited, settings)
                    : new CoreDeviceLink(device.info(), identity, device.open(), settings);
            link = l;
            if (stopping) {
                return;
            }
            if (resetFirst) {
                resetDevice(l);
            }
            session = driver.driver().open(l, inherited != null ? new ArrivalTimeSink(sink, l) : sink);
            if (session == null) {
                throw new IllegalStateException("driver returned no session");
            }
            int transientFailures = 0;
            while (!stopping) {
                try {
                    session.poll();
                    transientFailures = 0;
                } catch (UsbException e) {
                    if (e.kind() == UsbException.Kind.TIMEOUT) {
                        // A quiet device; drivers choose their timeouts to poll again.
                    } else if (e.isTransient() && ++transientFailures <= TRANSIENT_LIMIT) {
                        log.debug("{}: transient {}; retry {} of {}", identity, e, transientFailures, TRANSIENT_LIMIT);
                        Thread.sleep(Math.min(1_000L, 10L << transientFailures));
                    } else {
                        throw e;
                    }
                }
                polls++;
            }
        } catch (UsbException e) {
            if (stopping && e.kind() == UsbException.Kind.CLOSED) {
                result = SessionOutcome.STOPPED;
            } else if (e.kind() == UsbException.Kind.GONE) {
                result = SessionOutcome.GONE;
                error = e.getMessage();
            } else {
                result = SessionOutcome.FAILED;
                error = e.toString();
            }
        } catch (InterruptedException e) {
            result = stopping ? SessionOutcome.STOPPED : SessionOutcome.FAILED;
            error = stopping ? null : "session interrupted";
        } catch (Throwable e) {
            result = stopping ? SessionOutcome.STOPPED : SessionOutcome.FAILED;
            error = "driver " + driver + " threw " + e;
            failure = e; // the manager logs it once it knows whether the driver was leaving anyway
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (Throwable e) {
                    log.warn("{}: driver {} threw while closing its session: {}", identity, driver, e.toString());
                }
            }
            sink.close();
            CoreDeviceLink l = link;
            if (l != null) {
                SwapBridge b = null;
                // A driver that threw may have lost its classes with its bundle (a refresh tearing the new
                // version down as it opens) before the manager could ask it to hand over: it is bridged too,
                // and the manager, which knows whether the driver left, gives the device back if it did not.
                boolean driverThrew = result == SessionOutcome.FAILED && failure != null;
                synchronized (this) {
                    if (swapTerms != null && !stopped && !abandoned
                            && (handOver && result == SessionOutcome.STOPPED || driverThrew)) {
                        b = l.handOver(sink::now, swapTerms);
                        bridge = b;
                    }
                }
                if (b == null) {
                    l.releaseAndClose();
                }
            }
            outcome = result;
            if (!abandoned) {
                ended.accept(this, error);
            }
        }
    }
}
