package org.usblogd.api.store;

/** The store could not answer; the message says why in words a user can act on. */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
