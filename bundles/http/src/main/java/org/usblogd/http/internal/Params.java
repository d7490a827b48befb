package org.usblogd.http.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.usblogd.api.store.QueryTime;

import jakarta.servlet.http.HttpServletResponse;

/** A request's query parameters, read strictly: a value that is not what the parameter takes is a 400. */
final class Params {
    /** Times beyond these are refused: nothing is stored there, and they are what a typo makes. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private final Map<String, String[]> parameters;
    private final Clock clock;

    Params(Map<String, String[]> parameters, Clock clock) {
        this.parameters = parameters;
        this.clock = clock;
    }

    /**
     * A parameter the endpoint does not take is a 400 naming those it does: misspelt ({@code maxpoints}), it
     * would otherwise be ignored without a word, and the answer would not be the one asked for.
     */
    void only(String endpoint, String... names) throws BadRequest {
        List<String> taken = List.of(names);
        for (String name : parameters.keySet()) {
            if (!taken.contains(name)) {
                throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "unknown parameter '" + name + "': "
                        + endpoint + (taken.isEmpty() ? " takes none" : " takes those listed"), taken);
            }
        }
    }

    /** The parameter's value, or null when absent or empty; given twice is a 400. */
    String text(String name) throws BadRequest {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0 || values[0].isBlank()) {
            return null;
        }
        if (values.length > 1) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, name + " is given " + values.length
                    + " times: give it once");
        }
        return values[0].strip();
    }

    Instant time(String name, Instant absent) throws BadRequest {
        String s = text(name);
        if (s == null) {
            return absent;
        }
        Instant t;
        try {
            t = QueryTime.parse(s, clock);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, name + ": " + e.getMessage());
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, name + " = " + s + " is out of range: give a time"
                    + " from " + EARLIEST + " to " + LATEST);
        }
        return t;
    }

    long number(String name, long absent, long min, long max) throws BadRequest {
        String s = text(name);
        if (s == null) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, name + " = " + s + " is not a whole number (it"
                    + " takes " + min + " to " + max + ")");
        }
        if (n < min || n > max) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, name + " = " + s + " is out of range: it takes "
                    + min + " to " + max);
        }
        return n;
    }

    /** A device's key, which must be one of the known ones; null when absent and not required. */
    String device(Map<String, List<String>> known, boolean required) throws BadRequest {
        String d = text("device");
        if (d == null && required) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "device is required: give one of the known"
                    + " devices", List.copyOf(known.keySet()));
        }
        if (d != null && !known.containsKey(d)) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "no device '" + d + "' is known; known devices"
                    + " are listed", List.copyOf(known.keySet()));
        }
        return d;
    }

    /** A channel name, which must be one of the device's (or of any device's, without one). */
    String channel(Map<String, List<String>> known, String device, boolean required) throws BadRequest {
        String c = text("channel");
        List<String> names = device != null ? known.get(device)
                : known.values().stream().flatMap(List::stream).distinct().sorted().toList();
        String whose = device != null ? "device " + device : "any device";
        if (c == null && required) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "channel is required: give one of the channels"
                    + " of " + whose, names);
        }
        if (c != null && !names.contains(c)) {
            throw new BadRequest(HttpServletResponse.SC_BAD_REQUEST, "no channel '" + c + "' on " + whose
                    + "; its channels are listed", names);
        }
        return c;
    }
}
