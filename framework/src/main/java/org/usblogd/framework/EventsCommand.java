package org.usblogd.framework;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.store.jdbc.EventLog;
import org.usblogd.store.jdbc.SqlSampleStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd events}: what the daemon recorded about itself and the devices, a line per event. */
@Command(name = "events", description = { "Print the events the daemon recorded (plugin.broken, decode.bad,"
        + " samples.dropped, device.stale, store.outage, clock.step, recovery steps...), oldest first: time (UTC),"
        + " device or '-', kind, message.", "Works whether the daemon runs or not." })
final class EventsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--device", paramLabel = "ID", description = "one device's events, as `usblogd devices` shows"
            + " its ID")
    String device;

    @Option(names = "--kind", paramLabel = "KIND", description = "one kind of event, e.g. device.stale")
    String kind;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
            description = "events from this time on: " + TimeArgument.FORMS)
    Instant since;

    @Option(names = { "-f", "--follow" }, description = "keep printing new events as they are recorded, until"
            + " Ctrl-C or SIGTERM")
    boolean follow;

    @Option(names = "--format", paramLabel = "text|json", converter = FormatName.class, defaultValue = "text",
            description = "text, or json: one JSON object per line (id, time, device, kind, message); default: text")
    Format format;

    enum Format {
        TEXT, JSON
    }

    @Override
    public Integer call() {
        PrintStream out = usblogd.out;
        PrintStream err = usblogd.err;
        Path state = usblogd.stateDirectory();
        SqlSampleStore store;
        try {
            store = StoreAccess.open(state);
        } catch (IOException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        if (store == null) {
            err.println("usblogd: no database in " + state + " yet: no event has been recorded");
            return 0;
        }
        EventLog log = new EventLog(store.dataSource());
        EventLog.Filter filter;
        int deviceWidth;
        int kindWidth;
        try {
            List<String> devices = log.devices();
            if (device != null && !devices.contains(device)) {
                err.println("usblogd: no device '" + device + "' is known in " + state + "; known devices: "
                        + (devices.isEmpty() ? "none" : String.join(", ", devices)));
                return 1;
            }
            List<String> kinds = log.kinds();
            if (kind != null && !kinds.contains(kind)) {
                err.println("usblogd: no event of kind '" + kind + "' has been recorded in " + state
                        + "; kinds recorded: " + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
                return 1;
            }
            deviceWidth = devices.stream().mapToInt(String::length).max().orElse(1);
            kindWidth = kinds.stream().mapToInt(String::length).max().orElse(1);
            filter = new EventLog.Filter(device, kind, since == null ? null : SqlSampleStore.micros(since), 0);
        } catch (StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        Consumer<StoredEvent> printer = format == Format.JSON ? json(out) : text(out, deviceWidth, kindWidth);
        if (!follow) {
            return read(log, filter, printer, err) == null ? 1 : 0;
        }
        return new EventFollower(state, usblogd.out, (l, f, e) -> read(l, f, printer, e)).run(log, filter, err);
    }

    /** The events after the filter's id; the id of the last, or null when they could not be read. */
    private Long read(EventLog log, EventLog.Filter filter, Consumer<StoredEvent> printer, PrintStream err) {
        try {
            long last = log.read(filter, printer);
            usblogd.out.flush();
            return last;
        } catch (StoreException e) {
            usblogd.out.flush();
            err.println("usblogd: " + e.getMessage());
            return null;
        } catch (UncheckedIOException e) {
            return null; // the reader went away (a closed pipe): nothing left to print to
        }
    }

    /** Columns as wide as the devices and kinds known when it started; the message last, unpadded. */
    private static Consumer<StoredEvent> text(PrintStream out, int deviceWidth, int kindWidth) {
        return e -> {
            String device = e.device() == null ? "-" : e.device();
            String message = e.message() == null ? "" : e.message().replace("\r\n", " ").replace('\n', ' ')
                    .replace('\r', ' ');
            out.println(TIME.format(SqlSampleStore.instant(e.timeMicros())) + "  " + device
                    + " ".repeat(Math.max(0, deviceWidth - device.length())) + "  " + e.kind()
                    + (message.isEmpty() ? "" : " ".repeat(Math.max(0, kindWidth - e.kind().length())) + "  " + message));
        };
    }

    private static Consumer<StoredEvent> json(PrintStream out) {
        ObjectMapper mapper = new ObjectMapper();
        return e -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", e.id());
            o.put("time", SqlSampleStore.instant(e.timeMicros()).toString());
            o.put("device", e.device());
            o.put("kind", e.kind());
            o.put("message", e.message());
            try {
                out.println(mapper.writeValueAsString(o));
            } catch (JsonProcessingException x) {
                throw new UncheckedIOException(x);
            }
        };
    }

    static final class FormatName implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String s) {
            return switch (s) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new picocli.CommandLine.TypeConversionException("'" + s + "' is not a format (text or"
                    + " json)");
            };
        }
    }
}
