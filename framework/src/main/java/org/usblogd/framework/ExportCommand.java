package org.usblogd.framework;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.store.jdbc.DeviceListing;
import org.usblogd.store.jdbc.SqlSampleStore;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

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

    @Option(names = "--device", paramLabel = "ID", split = ",", description = "a device, as `usblogd devices` shows"
            + " its ID; repeat it or separate IDs with commas for more")
    List<String> devices = new ArrayList<>();

    @Option(names = "--channel", paramLabel = "NAME", split = ",", description = "a channel, e.g. co2; repeat it or"
            + " separate names with commas (co2,temperature) for more")
    List<String> channels = new ArrayList<>();

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
        // The console stream flushes at every line: a syscall per sample would be most of an export's time.
        out = new PrintStream(new BufferedOutputStream(usblogd.out, 1 << 16), false, StandardCharsets.UTF_8);
        int status;
        try {
            status = export();
        } finally {
            out.flush();
        }
        // a print stream keeps its write errors to itself: a full disk or a closed pipe is only seen here
        if (out.checkError() || usblogd.out.checkError()) {
            usblogd.err.println("usblogd: cannot write the export: the output was closed or its disk is full;"
                    + " what was written is incomplete");
            return 1;
        }
        return status;
    }

    private int export() {
        PrintStream err = usblogd.err;
        String range = ExportSelection.rangeProblem(from, to);
        if (range != null) {
            err.println("usblogd: " + range);
            return 1;
        }
        SqlSampleStore store;
        try {
            store = StoreAccess.open(usblogd.stateDirectory());
        } catch (java.io.IOException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        boolean csv = format == Format.CSV;
        if (store == null) {
            out.print(csv ? header() : "[]\n");
            err.println("usblogd: no database in " + usblogd.stateDirectory() + " yet: nothing has been stored");
            return 0;
        }
        try {
            String unknown = ExportSelection.unknown(new DeviceListing(store.dataSource()).channelNames(), devices,
                    channels, usblogd.stateDirectory());
            if (unknown != null) {
                err.println("usblogd: " + unknown);
                return 1;
            }
        } catch (StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        CsvRows rows = csv ? new CsvRows(out) : null;
        try {
            if (csv) {
                rows.header(header());
                if (tier == Tier.RAW) {
                    store.samples(devices, channels, from, to, (d, c, u, t, v, first, end) -> {
                        try {
                            rows.samples(d, c, u, t, v, first, end);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                } else {
                    store.summaries(devices, channels, from, to, tier, summary -> csv(rows, summary));
                }
                rows.flush();
            } else {
                try (JsonRows json = new JsonRows(out)) {
                    if (tier == Tier.RAW) {
                        store.samples(devices, channels, from, to, json::sample);
                    } else {
                        store.summaries(devices, channels, from, to, tier, json::summary);
                    }
                }
            }
        } catch (StoreException e) {
            try { // what was exported comes before the line that says why it stopped
                if (rows != null) {
                    rows.flush();
                }
            } catch (IOException ignored) {
                // the line below is what matters
            }
            out.flush();
            err.println("usblogd: " + e.getMessage());
            return 1;
        } catch (UncheckedIOException | IOException e) {
            err.println("usblogd: cannot write the export: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private String header() {
        return tier == Tier.RAW ? "time,device,channel,value,unit\n" : "time,device,channel,min,max,mean,count,unit\n";
    }

    private static void csv(CsvRows rows, StoredSummary s) {
        try {
            rows.summary(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array, one object a line, streamed: an export may hold millions of samples. */
    private static final class JsonRows implements AutoCloseable {
        private final JsonGenerator g;
        private boolean first = true;

        JsonRows(PrintStream out) throws IOException {
            g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out,
                    JsonEncoding.UTF8);
            g.setPrettyPrinter(new MinimalPrettyPrinter(""));
            g.writeRaw("[");
        }

        void sample(StoredSample s) {
            try {
                begin(s.timeMicros(), s.device(), s.channel());
                number("value", s.value());
                end(s.unit());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void summary(StoredSummary s) {
            try {
                begin(s.timeMicros(), s.device(), s.channel());
                number("min", s.min());
                number("max", s.max());
                number("mean", s.mean());
                g.writeNumberField("count", s.count());
                end(s.unit());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void begin(long timeMicros, String device, String channel) throws IOException {
            g.writeRaw(first ? "\n" : ",\n");
            first = false;
            g.writeStartObject();
            g.writeStringField("time", SqlSampleStore.instant(timeMicros).toString());
            g.writeStringField("device", device);
            g.writeStringField("channel", channel);
        }

        private void number(String name, double v) throws IOException {
            if (Double.isFinite(v)) {
                g.writeNumberField(name, v);
            } else {
                g.writeNullField(name); // JSON has no NaN or infinity
            }
        }

        private void end(String unit) throws IOException {
            g.writeStringField("unit", unit);
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            g.writeRaw(first ? "]\n" : "\n]\n");
            g.close();
        }
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
