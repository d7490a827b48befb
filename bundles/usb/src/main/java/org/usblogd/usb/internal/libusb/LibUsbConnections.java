package org.usblogd.usb.internal.libusb;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What keeps one libusb context alive: the device handles open on it, the calls under way that may open
 * one (a device being opened, strings being read through a short-lived handle) and the native transfers
 * not yet freed. A context may only be exited once none is left, and then nothing new may start on it:
 * {@link #retire()} decides both at once. The backend is told whenever the last one goes.
 */
final class LibUsbConnections {
    private final Set<LibUsbConnection> open = new HashSet<>();
    private int inUse;
    private int transfers;
    private boolean retired;
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

    /** Only inside {@link #enter()} and {@link #leave()}, so never once retired. */
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

    /**
     * A call that may open a handle begins.
     *
     * @return false once the context is retired: it may be exited already
     */
    synchronized boolean enter() {
        if (retired) {
            return false;
        }
        inUse++;
        return true;
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

    /**
     * A native transfer was allocated on one of the handles (so never once retired).
     *
     * @return false when the context is retired: the caller frees the transfer again at once
     */
    synchronized boolean transferAllocated() {
        if (retired) {
            return false;
        }
        transfers++;
        return true;
    }

    void transferFreed() {
        boolean idle;
        synchronized (this) {
            transfers--;
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

    synchronized int transfers() {
        return transfers;
    }

    synchronized List<LibUsbConnection> openConnections() {
        return List.copyOf(open);
    }

    synchronized boolean idle() {
        return open.isEmpty() && inUse == 0 && transfers == 0;
    }

    /**
     * When nothing is left, nothing may start any more: the context can be exited.
     *
     * @return whether the context is retired (nothing is left, and nothing will be)
     */
    synchronized boolean retire() {
        if (!retired && idle()) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean retired() {
        return retired;
    }

    /** @return whether every handle was closed, every call ended and every transfer freed within the time */
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

    @Override
    public synchronized String toString() {
        return open.size() + " handle(s) open, " + inUse + " call(s) under way, " + transfers + " transfer(s) not freed";
    }
}
