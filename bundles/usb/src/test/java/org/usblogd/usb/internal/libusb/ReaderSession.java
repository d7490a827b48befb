package org.usblogd.usb.internal.libusb;

import java.util.List;

import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * One device's session as the core runs it, on a thread of its own: opens the device, takes interface 0
 * from its kernel driver, streams interrupt IN 0x81 until the session is left (an abort, as on departure)
 * or {@link #goOn} says stop, and gives the interface back. A USB error that {@link #expected} does not
 * allow, or any other exception, goes to the problems list the session was given.
 */
abstract class ReaderSession implements Runnable {
    final BackendDevice device;
    private final List<String> problems;
    private final int inFlight;
    private final int readTimeoutMs;
    volatile boolean left;
    volatile boolean ended;
    volatile DeviceConnection connection;
    volatile InStream stream;
    /** How far the session got, for a test that times out to say. */
    private volatile String phase = "not started";

    ReaderSession(BackendDevice device, List<String> problems, int inFlight, int readTimeoutMs) {
        this.device = device;
        this.problems = problems;
        this.inFlight = inFlight;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** Called on the session's thread before the device is opened. */
    void starting() {
    }

    /** Whether the session reads on; it ends on its own when this says no. */
    boolean goOn() {
        return true;
    }

    /** A report came: {@code length} bytes of {@code buffer}. */
    abstract void received(byte[] buffer, int length);

    /** Whether an error that ends the session (opening, claiming, releasing) is an ordinary one. */
    abstract boolean expected(UsbException e);

    /** How the session names its device in problems. */
    String label() {
        return String.valueOf(device);
    }

    @Override
    public void run() {
        try {
            starting();
            phase = "opening";
            try (DeviceConnection c = device.open()) {
                connection = c;
                if (left) {
                    return;
                }
                phase = "claiming";
                if (c.kernelDriverActive(0)) {
                    c.detachKernelDriver(0);
                }
                c.claimInterface(0);
                phase = "opening the stream";
                try (InStream s = c.openStream(0x81, 8, inFlight)) {
                    stream = s;
                    phase = "streaming";
                    read(s);
                }
                try {
                    c.releaseInterface(0);
                } catch (UsbException e) {
                    fail(e);
                }
            }
        } catch (UsbException e) {
            fail(e);
        } catch (RuntimeException | Error e) {
            problems.add(label() + ": " + e);
        } finally {
            phase = "ended after " + phase;
            ended = true;
        }
    }

    @Override
    public String toString() {
        return label() + (left ? " (left)" : "") + ": " + phase;
    }

    private void read(InStream s) {
        byte[] buffer = new byte[8];
        while (!left && goOn()) {
            try {
                received(buffer, s.read(buffer, readTimeoutMs));
            } catch (UsbException e) {
                if (e.kind() == Kind.GONE || e.kind() == Kind.CLOSED) {
                    phase = "streaming, until " + e.kind();
                    return;
                }
                if (e.kind() != Kind.TIMEOUT) {
                    problems.add(label() + ": " + e.getMessage());
                }
            }
        }
        if (!left) {
            phase = "streaming, until it ended on its own";
        }
    }

    private void fail(UsbException e) {
        if (!expected(e)) {
            problems.add(label() + ": " + e.getMessage());
        }
    }

    /** What the core does when the device leaves: the session is told, its connection aborted. */
    void leave() {
        left = true;
        DeviceConnection c = connection;
        if (c != null) {
            c.abort();
        }
    }
}
