package org.usblogd.framework;

import java.io.IOException;

/** The daemon may not or cannot use its state directory; the message is the one line that says why and what to do. */
final class StateDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    StateDirectoryException(String message) {
        super(message);
    }
}
