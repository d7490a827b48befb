package org.usblogd.api.usb;

/**
 * Every failure a USB operation can report, classified so that the core and drivers react the same way
 * whatever the backend. Messages are meant for the user: they say which device and what to do.
 */
public class UsbException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The device left the bus; the session ends and waits for it to come back. */
        GONE,
        /** Nothing arrived within the timeout; usually retried. */
        TIMEOUT,
        /** The endpoint stalled (halted) or the device refused a request. */
        STALL,
        /** The interface is claimed by someone else. */
        BUSY,
        /** No permission to open the device node. */
        ACCESS,
        /** The device sent more than the buffer holds. */
        OVERFLOW,
        /** The link was closed by the core (session stopping). */
        CLOSED,
        OTHER
    }

    private final Kind kind;

    public UsbException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UsbException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether retrying the same operation in the same session can succeed. */
    public boolean isTransient() {
        return kind == Kind.TIMEOUT || kind == Kind.OVERFLOW;
    }

    @Override
    public String toString() {
        return "USB " + kind + ": " + getMessage();
    }
}
