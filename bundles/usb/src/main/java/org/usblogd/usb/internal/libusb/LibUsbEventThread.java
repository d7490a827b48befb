package org.usblogd.usb.internal.libusb;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.Context;
import org.usb4java.LibUsb;

/**
 * The one thread that handles libusb events (hotplug callbacks, asynchronous transfer completions) for a
 * context. It is supervised: if it dies, the failure is logged and a new thread takes over after a pause,
 * because without it streams and hotplug silently stop.
 */
final class LibUsbEventThread {
    private static final Logger log = LoggerFactory.getLogger(LibUsbEventThread.class);
    private static final long WAIT_MICROS = 500_000;
    private static final ThreadLocal<Boolean> EVENT_THREAD = ThreadLocal.withInitial(() -> false);

    private final Context context;
    private final String name;
    private final long restartDelayMs;
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile int restarts;
    /** Test hook: thrown once inside the loop, as if libusb or the JNI layer had failed. */
    volatile RuntimeException injectFailure;

    LibUsbEventThread(Context context, String name, long restartDelayMs) {
        this.context = context;
        this.name = name;
        this.restartDelayMs = restartDelayMs;
    }

    synchronized void start() {
        running = true;
        spawn();
    }

    private void spawn() {
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Stops handling events and waits for the thread; the context must not be exited before this returned
     * true.
     */
    boolean stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        LibUsb.interruptEventHandler(context);
        if (t != null) {
            t.join(5_000);
            if (t.isAlive()) {
                log.error("the libusb event thread {} did not stop within 5 s", name);
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the calling thread is an event thread, i.e. inside a libusb callback: it must not wait for a
     * transfer's callback (it would have to deliver it) nor for a handle to be closed by another thread
     * (libusb's close waits for it to leave event handling).
     */
    static boolean isCurrentThread() {
        return EVENT_THREAD.get();
    }

    /** Event-handling rounds so far; a stuck thread stops counting. */
    long rounds() {
        return rounds.get();
    }

    int restarts() {
        return restarts;
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private void run() {
        EVENT_THREAD.set(true);
        int failures = 0;
        try {
            while (running) {
                RuntimeException fault = injectFailure;
                if (fault != null) {
                    injectFailure = null;
                    throw fault;
                }
                int r = LibUsb.handleEventsTimeout(context, WAIT_MICROS);
                rounds.incrementAndGet();
                if (r < 0 && r != LibUsb.ERROR_INTERRUPTED) {
                    if (failures++ % 1000 == 0) {
                        log.warn("libusb event handling failed: {} ({} time(s))", LibUsb.strError(r), failures);
                    }
                    Thread.sleep(10);
                }
            }
        } catch (Throwable e) {
            if (running) {
                log.error("the libusb event thread died ({}); restarting it in {} ms", e.toString(), restartDelayMs);
                restartLater();
            }
        }
    }

    private void restartLater() {
        try {
            Thread.sleep(restartDelayMs);
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (running) {
                restarts++;
                spawn();
                log.info("libusb event thread restarted ({} restart(s) so far)", restarts);
            }
        }
    }
}
