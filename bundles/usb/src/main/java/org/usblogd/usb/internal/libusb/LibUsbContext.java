package org.usblogd.usb.internal.libusb;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.Context;
import org.usb4java.LibUsb;
import org.usb4java.LibUsbException;

/**
 * One libusb context with its own event thread and its own devices and handles. The anchor is created
 * first and lives as long as the backend; where udevd does not run, each generation of arrivals gets an
 * extra context, because only a context initialised after a device appeared lists it. Created and exited
 * on the backend's lifecycle thread only: libusb's init rescans the bus under a global lock.
 */
final class LibUsbContext {
    private static final Logger log = LoggerFactory.getLogger(LibUsbContext.class);

    private final Context context;
    private final int number;
    private final boolean anchor;
    private final LibUsbConnections connections = new LibUsbConnections();
    private final Set<LibUsbDevice> devices = ConcurrentHashMap.newKeySet();
    private volatile LibUsbEventThread events;
    private volatile boolean exited;

    private LibUsbContext(Context context, int number, boolean anchor) {
        this.context = context;
        this.number = number;
        this.anchor = anchor;
    }

    /** @throws LibUsbException with libusb's error code when it refuses a context */
    static LibUsbContext init(int number, boolean anchor) {
        Context ctx = new Context();
        int r = LibUsb.init(ctx);
        if (r != LibUsb.SUCCESS) {
            throw new LibUsbException(r);
        }
        return new LibUsbContext(ctx, number, anchor);
    }

    Context context() {
        return context;
    }

    int number() {
        return number;
    }

    boolean anchor() {
        return anchor;
    }

    LibUsbConnections connections() {
        return connections;
    }

    void startEvents(long restartDelayMs) {
        events = new LibUsbEventThread(context, anchor ? "usb-libusb-events" : "usb-libusb-events-" + number,
                restartDelayMs);
        events.start();
    }

    /** Null until {@link #startEvents}. */
    LibUsbEventThread events() {
        return events;
    }

    void add(LibUsbDevice d) {
        devices.add(d);
    }

    void remove(LibUsbDevice d) {
        devices.remove(d);
    }

    List<LibUsbDevice> devices() {
        return List.copyOf(devices);
    }

    /** An extra context nobody needs: its devices have left and their handles are closed. */
    boolean unused() {
        return !anchor && devices.isEmpty() && connections.idle();
    }

    boolean exited() {
        return exited;
    }

    /**
     * Exits the context if nothing of it is left (no handle, no transfer, no call under way that may open
     * one), and from then on nothing may start on it. In the order libusb 1.0.22 survives: the event thread
     * stopped first (the context must not be exited while its own event thread is inside libusb), then
     * {@code afterEventsStopped} (e.g. a hotplug callback deregistered), the devices let go, the context
     * exited. An event thread that does not stop keeps its context, leaked rather than crashed.
     *
     * @return whether the context was exited
     */
    boolean exit(Runnable afterEventsStopped) throws InterruptedException {
        if (exited) {
            return true;
        }
        if (!connections.retire()) {
            log.debug("libusb context #{} is still in use ({}); not exited", number, connections);
            return false;
        }
        LibUsbEventThread e = events;
        if (e != null && !e.stop()) {
            log.error("libusb context #{} is left open: its event thread did not stop", number);
            return false;
        }
        afterEventsStopped.run();
        devices.forEach(LibUsbDevice::dispose);
        devices.clear();
        LibUsb.exit(context);
        exited = true;
        return true;
    }

    boolean exit() throws InterruptedException {
        return exit(() -> {
        });
    }

    /**
     * At shutdown, for what its users did not close in time: closes every handle still open on the context,
     * with the event thread still running so that the streams' cancelled transfers come back and are freed
     * before the handles close. A handle with a synchronous call under way on another thread is closed when
     * that call ends.
     *
     * @return whether nothing of the context is left within the time
     */
    boolean closeAll(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<LibUsbConnection> open = connections.openConnections();
        if (!open.isEmpty()) {
            log.warn("{} USB device handle(s) still open while libusb context #{} shuts down; closing them",
                    open.size(), number);
        }
        while (true) {
            open.forEach(LibUsbConnection::close);
            // a device being opened meanwhile registers its handle after this look: look again
            if (connections.awaitIdle(Math.min(50, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)))) {
                return true;
            }
            if (deadline - System.nanoTime() <= 0) {
                log.error("libusb context #{} is still in use after its handles were closed ({}); it is left open"
                        + " rather than exited under them", number, connections);
                return false;
            }
            open = connections.openConnections();
        }
    }

    /** Stops the event thread of a context that cannot be exited, so that no thread outlives the backend. */
    void abandon() throws InterruptedException {
        LibUsbEventThread e = events;
        if (e != null) {
            e.stop();
        }
        devices.forEach(LibUsbDevice::dispose);
    }

    @Override
    public String toString() {
        return "libusb context #" + number + (anchor ? " (anchor)" : "");
    }
}
