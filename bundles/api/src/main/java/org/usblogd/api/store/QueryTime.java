package org.usblogd.api.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time a user gives a query (the command line's {@code --from}, the HTTP API's {@code from}): an ISO-8601
 * time with or without its offset, a date, a date and time with a space, or a time relative to now
 * ({@code -30m}, {@code -1h}, {@code -2d}, {@code today}, {@code yesterday}, {@code now}). Times without an
 * offset are UTC, as every time usblogd prints is.
 */
public final class QueryTime {
    /** The forms, as a message that refuses a time lists them. */
    public static final String FORMS = "2026-11-25T10:00:00Z, 2026-11-25T11:00:00+01:00, 2026-11-25T10:00 or"
            + " 2026-11-25 10:00 (UTC), 2026-11-25, -30m, -1h, -2d, today, yesterday or now";

    private static final Pattern RELATIVE = Pattern.compile("-([0-9]{1,9})([smhdw])");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss[.SSS]]");

    private QueryTime() {
    }

    /**
     * @param clock what now is
     * @throws IllegalArgumentException "'TEXT' is not a time (the forms)"
     */
    public static Instant parse(String given, Clock clock) {
        String s = given.strip();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        switch (s) {
        case "now":
            return now;
        case "today":
            return today.atStartOfDay().toInstant(ZoneOffset.UTC);
        case "yesterday":
            return today.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        default:
            break;
        }
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration ago = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
            };
            return now.minus(ago);
        }
        try {
            return OffsetDateTime.parse(s).toInstant(); // also takes Z
        } catch (DateTimeParseException e) {
            // one of the forms below
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // one of the forms below
        }
        try {
            return LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // one of the forms below
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + given + "' is not a time (" + FORMS + ")");
        }
    }
}
