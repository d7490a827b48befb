package org.usblogd.http.internal;

import java.util.List;

/** A request the API cannot answer as asked: its status (4xx), one line saying why, and what it knows instead. */
final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final transient List<String> known;

    BadRequest(int status, String message) {
        this(status, message, null);
    }

    BadRequest(int status, String message, List<String> known) {
        super(message, null, false, false);
        this.status = status;
        this.known = known;
    }
}
