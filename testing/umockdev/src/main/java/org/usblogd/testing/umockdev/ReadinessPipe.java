package org.usblogd.testing.umockdev;

import org.usblogd.testing.umockdev.NativeLibraries.LibC;

/**
 * Makes poll() on an emulated usbfs node behave like the kernel's: writable only while a URB can be
 * reaped. umockdev creates nodes as regular files, which poll() always reports ready, so libusb's event
 * thread would spin. The node becomes a FIFO that the harness keeps full (not writable) and drains by one
 * page to signal "URB ready"; libusb polls it for POLLOUT, so both sides of the FIFO work across
 * processes too.
 */
final class ReadinessPipe {
    private static final byte[] PAGE = new byte[4096];
    private int fd = -1;
    private boolean ready;

    /** Replaces the node file at {@code realPath} (inside the testbed) by the FIFO. */
    synchronized void install(String realPath) {
        LibC.LIB.unlink(realPath);
        if (LibC.LIB.mkfifo(realPath, 0666) != 0) {
            throw new IllegalStateException("cannot create a FIFO at " + realPath);
        }
        // mkfifo applies the umask; the node must be open to everyone unless a test denies access.
        LibC.LIB.chmod(realPath, 0666);
        fd = LibC.LIB.open(realPath, LibC.O_RDWR | LibC.O_NONBLOCK);
        if (fd < 0) {
            throw new IllegalStateException("cannot open the FIFO at " + realPath);
        }
        ready = true;
        set(false);
    }

    synchronized void set(boolean wanted) {
        if (fd < 0 || wanted == ready) {
            return;
        }
        if (wanted) {
            LibC.LIB.read(fd, new byte[PAGE.length], PAGE.length);
        } else {
            while (LibC.LIB.write(fd, PAGE, PAGE.length) > 0) {
                // fill until the pipe is full
            }
        }
        ready = wanted;
    }

    synchronized void close() {
        if (fd >= 0) {
            LibC.LIB.close(fd);
            fd = -1;
        }
    }
}
