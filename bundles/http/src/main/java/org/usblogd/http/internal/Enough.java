package org.usblogd.http.internal;

/** Ends a read of the store (thrown from its consumer) once the answer holds what it can take. */
final class Enough extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Enough() {
        super(null, null, false, false);
    }
}
