package org.usblogd.usb.internal.libusb;

import java.util.HashSet;
import java.util.Set;

/**
 * The device handles open on one libusb context, and the calls under way that may open one (a device
 * being opened, strings being read through a short-lived handle). A context may only be exited once none
 * is left, so the backend is told when the last one goes.
 */
final class LibUsbConnections {
    private final Set<LibUsbConnection> open = new HashSet<>();
    private int inUse;
    private volatile Runnable onIdle = () -> {
    };
    private volatile Runnable onUnplugged = () -> {
    };

    /** Runs (on the thread that closed the last handle or ended the last call) whenever nothing is left. */
    void onIdle(Runnable r) {
        onIdle = r;
    }

    /** Runs whenever an operation on one of the handles finds its device unplugged. */
    void onUnplugged(Runnable r) {
        onUnplugged = r;
    }

    void unplugged() {
        onUnplugged.run();
    }

    synchronized LibUsbConnection opened(LibUsbConnection c) {
        open.add(c);
        return c;
    }

    void closed(LibUsbConnection c) {
        boolean idle;
        synchronized (this) {
            idle = open.remove(c) && idle();
            notifyAll();
        }
        if (idle) {
            onIdle.run();
        }
    }

    /** A call that may open a handle begins. */
    synchronized void enter() {
        inUse++;
    }

    /** ... and ends, having registered any handle it opened. */
    void leave() {
        boolean idle;
        synchronized (this) {
            inUse--;
            idle = idle();
            notifyAll();
        }
        if (idle) {
            onIdle.run();
        }
    }

    synchronized int count() {
        return open.size();
    }

    synchronized boolean idle() {
        return open.isEmpty() && inUse == 0;
    }

    /** @return whether every handle was closed and every call ended within the time */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!idle()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
