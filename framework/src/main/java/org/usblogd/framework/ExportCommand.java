package org.usblogd.framework;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.SqlSampleStore;

/** {@code usblogd export}: streams samples as CSV or a JSON array; times are ISO-8601 in UTC. */
final class ExportCommand {
    private final Path state;
    private final PrintStream out;
    private final PrintStream err;

    ExportCommand(Path state, PrintStream out, PrintStream err) {
        this.state = state;
        this.out = out;
        this.err = err;
    }

    int run(Options o) {
        String format = o.get("format") == null ? "csv" : o.get("format");
        if (!format.equals("csv") && !format.equals("json")) {
            throw new Options.UsageException("--format is csv or json, not '" + format + "'");
        }
        String tierName = o.get("tier") == null ? "raw" : o.get("tier");
        Tier tier;
        try {
            tier = Tier.valueOf(tierName.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("--tier is raw, minute or hour, not '" + tierName + "'");
        }
        SampleQuery q = new SampleQuery(o.get("device"), o.get("channel"), time("from", o.get("from")),
                time("to", o.get("to")));
        SqlSampleStore store;
        try {
            store = StoreAccess.open(state);
        } catch (java.io.IOException e) {
            err.println("usblogd: cannot read the database credentials: " + e.getMessage());
            return 1;
        }
        boolean csv = format.equals("csv");
        out.print(csv ? (tier == Tier.RAW ? "time,device,channel,value,unit\n"
                : "time,device,channel,min,max,mean,count,unit\n") : "[");
        if (store == null) {
            err.println("usblogd: no database in " + state + " yet: nothing has been stored");
            out.print(csv ? "" : "]\n");
            return 0;
        }
        Consumer<StoredSample> row = csv ? this::csv : new Consumer<>() {
            private boolean first = true;

            @Override
            public void accept(StoredSample s) {
                out.print(first ? "\n" : ",\n");
                first = false;
                json(s);
            }
        };
        try {
            if (tier == Tier.RAW) {
                store.samples(q, row);
            } else {
                store.summaries(q, tier, csv ? this::csv : new Consumer<>() {
                    private boolean first = true;

                    @Override
                    public void accept(StoredSummary s) {
                        out.print(first ? "\n" : ",\n");
                        first = false;
                        json(s);
                    }
                });
            }
        } catch (StoreException e) {
            out.flush();
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        out.print(csv ? "" : "\n]\n");
        out.flush();
        return 0;
    }

    private void csv(StoredSample s) {
        out.print(SqlSampleStore.instant(s.timeMicros()) + "," + csvField(s.device()) + "," + csvField(s.channel())
                + "," + s.value() + "," + csvField(s.unit()) + "\n");
    }

    private void csv(StoredSummary s) {
        out.print(SqlSampleStore.instant(s.timeMicros()) + "," + csvField(s.device()) + "," + csvField(s.channel())
                + "," + s.min() + "," + s.max() + "," + s.mean() + "," + s.count() + "," + csvField(s.unit()) + "\n");
    }

    private void json(StoredSummary s) {
        out.print("{\"time\":\"" + SqlSampleStore.instant(s.timeMicros()) + "\",\"device\":" + jsonString(s.device())
                + ",\"channel\":" + jsonString(s.channel()) + ",\"min\":" + number(s.min()) + ",\"max\":"
                + number(s.max()) + ",\"mean\":" + number(s.mean()) + ",\"count\":" + s.count() + ",\"unit\":"
                + jsonString(s.unit()) + "}");
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private void json(StoredSample s) {
        out.print("{\"time\":\"" + SqlSampleStore.instant(s.timeMicros()) + "\",\"device\":" + jsonString(s.device())
                + ",\"channel\":" + jsonString(s.channel()) + ",\"value\":"
                + (Double.isFinite(s.value()) ? Double.toString(s.value()) : "null") + ",\"unit\":"
                + jsonString(s.unit()) + "}");
    }

    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    static String jsonString(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            }
        }
        return b.append('"').toString();
    }

    /** Accepts 2026-11-25T10:00:00Z, 2026-11-25T11:00:00+01:00, 2026-11-25T10:00 (UTC) and 2026-11-25. */
    static Instant time(String option, String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Options.UsageException("--" + option + " '" + s
                    + "' is not an ISO-8601 time (e.g. 2026-11-25T10:00:00Z or 2026-11-25)");
        }
    }
}
