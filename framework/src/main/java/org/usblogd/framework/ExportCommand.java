package org.usblogd.framework;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.SqlSampleStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code usblogd export}: streams samples as CSV or a JSON array; times are ISO-8601 in UTC. */
@Command(name = "export", description = { "Print stored samples in time order, or their per-minute or per-hour"
        + " summaries, as CSV (time,device,channel,value,unit) or a JSON array; times in UTC.",
    "Works whether the daemon runs or not." })
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--device", paramLabel = "ID", description = "one device, as `usblogd devices` shows its ID")
    String device;

    @Option(names = "--channel", paramLabel = "NAME", description = "one channel, e.g. co2")
    String channel;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeArgument.class,
            description = "from this time on (inclusive): " + TimeArgument.FORMS)
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeArgument.class,
            description = "up to this time (exclusive), in the same forms")
    Instant to;

    @Option(names = "--format", paramLabel = "csv|json", converter = FormatName.class, defaultValue = "csv",
            description = "default: csv")
    Format format;

    @Option(names = "--tier", paramLabel = "raw|minute|hour", converter = TierName.class, defaultValue = "raw",
            description = "raw samples, or the summaries (time,device,channel,min,max,mean,count,unit; time the"
                    + " bucket's start), which are kept longer; default: raw")
    Tier tier;

    private PrintStream out;

    enum Format {
        CSV, JSON
    }

    @Override
    public Integer call() {
        out = usblogd.out;
        PrintStream err = usblogd.err;
        SampleQuery q = new SampleQuery(device, channel, from, to);
        SqlSampleStore store;
        try {
            store = StoreAccess.open(usblogd.stateDirectory());
        } catch (java.io.IOException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        boolean csv = format == Format.CSV;
        out.print(csv ? (tier == Tier.RAW ? "time,device,channel,value,unit\n"
                : "time,device,channel,min,max,mean,count,unit\n") : "[");
        if (store == null) {
            err.println("usblogd: no database in " + usblogd.stateDirectory() + " yet: nothing has been stored");
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

    static final class FormatName implements ITypeConverter<Format> {
        @Override
        public Format convert(String s) {
            return switch (s) {
            case "csv" -> Format.CSV;
            case "json" -> Format.JSON;
            default -> throw new TypeConversionException("'" + s + "' is not a format (csv or json)");
            };
        }
    }

    static final class TierName implements ITypeConverter<Tier> {
        @Override
        public Tier convert(String s) {
            try {
                if (s.equals(s.toLowerCase(Locale.ROOT))) {
                    return Tier.valueOf(s.toUpperCase(Locale.ROOT));
                }
            } catch (IllegalArgumentException e) {
                // said below
            }
            throw new TypeConversionException("'" + s + "' is not a tier (raw, minute or hour)");
        }
    }
}
