package org.usblogd.framework;

import java.time.Clock;
import java.time.Instant;

import org.usblogd.api.store.QueryTime;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A time given on the command line, in the forms {@link QueryTime} reads (the HTTP API reads the same). */
class TimeArgument implements ITypeConverter<Instant> {
    static final String FORMS = QueryTime.FORMS;

    private final Clock clock;

    /** picocli's: now is the system's. */
    TimeArgument() {
        this(Clock.systemUTC());
    }

    TimeArgument(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String given) {
        try {
            return QueryTime.parse(given, clock);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
