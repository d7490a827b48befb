package org.usblogd.usb.internal.libusb;

import java.util.HashSet;
import java.util.Set;

/**
 * The device handles open on one libusb context. The context may only be exited (or replaced) once every
 * handle on it is closed, so the backend waits here before it does either.
 */
final class LibUsbConnections {
    private final Set<LibUsbConnection> open = new HashSet<>();

    synchronized LibUsbConnection opened(LibUsbConnection c) {
        open.add(c);
        return c;
    }

    synchronized void closed(LibUsbConnection c) {
        if (open.remove(c) && open.isEmpty()) {
            notifyAll();
        }
    }

    synchronized int count() {
        return open.size();
    }

    /** @return whether all handles were closed within the time */
    synchronized boolean awaitAllClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!open.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
