package org.usblogd.framework;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.DeviceListing;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StoreFigures;
import org.usblogd.store.jdbc.StoreLocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code usblogd status}: whether the daemon runs, how its store fares and where each device stands, from
 * what is already on disk (the lock file, the database, the store's outage file): the daemon serves nothing
 * for it.
 */
@Command(name = "status", description = { "Say whether the daemon runs (pid, uptime, version), how its store fares"
        + " (open or in an outage, size, samples in the last minute, samples dropped since it started) and each"
        + " device's state, newest sample and that sample's age.",
    "Exit status: 0 running and the store writes, 3 not running, 1 the store cannot write or status cannot be"
            + " read." })
final class StatusCommand implements Callable<Integer> {
    /** What systemctl and LSB init scripts answer for a service that is not running. */
    static final int NOT_RUNNING = 3;

    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--format", paramLabel = "text|json", converter = FormatName.class, defaultValue = "text",
            description = "text, or json: one object with daemon, store and devices; default: text")
    Format format;

    enum Format {
        TEXT, JSON
    }

    /** The store's outage, as its file says. */
    record Outage(String since, String why) {
    }

    /** The store as status shows it; the figures are null when there is no database yet. */
    record Store(String state, Outage outage, Long bytes, Long samplesLastMinute, Long droppedSinceStart) {
    }

    @Override
    public Integer call() {
        Path state = usblogd.stateDirectory();
        PrintStream out = usblogd.out;
        PrintStream err = usblogd.err;
        if (!Files.isDirectory(state)) {
            err.println("usblogd: " + StoreAccess.missing(state));
            return 1;
        }
        Optional<RunningDaemon> daemon = RunningDaemon.on(state);
        StoreLocation location = new StoreLocation(state);
        Store store;
        List<DevicesCommand.Shown> devices;
        try {
            SqlSampleStore db = StoreAccess.open(state);
            Outage outage = daemon.isPresent() ? outage(location) : null;
            if (db == null) {
                store = new Store("no database yet", outage, null, null, null);
                devices = List.of();
            } else {
                StoreFigures figures = new StoreFigures(db.dataSource());
                long nowMicros = SqlSampleStore.micros(Instant.now());
                store = new Store(outage != null ? "outage" : daemon.isPresent() ? "open" : "closed", outage,
                        Files.size(location.databaseFile()), figures.samplesBetween(nowMicros - 60_000_000L, nowMicros),
                        daemon.isPresent() ? figures.droppedSinceStart() : null);
                devices = DevicesCommand.shown(new DeviceListing(db.dataSource()).devices(), daemon.isPresent());
            }
        } catch (IOException | StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        // after the reading: a sample committed while it read is not younger than now
        Instant now = Instant.now();
        if (format == Format.JSON) {
            if (!json(state, daemon, store, devices, now, out, err)) {
                return 1;
            }
        } else {
            text(state, daemon, store, devices, now, out);
        }
        return daemon.isEmpty() ? NOT_RUNNING : store.outage() != null ? 1 : 0;
    }

    /** What the store's outage file says, or null when there is none. */
    private static Outage outage(StoreLocation location) throws IOException {
        Path file = location.outageFile();
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file);
        return new Outage(lines.isEmpty() ? null : lines.get(0), lines.size() < 2 ? null : lines.get(1));
    }

    private static void text(Path state, Optional<RunningDaemon> daemon, Store store,
            List<DevicesCommand.Shown> devices, Instant now, PrintStream out) {
        out.println("daemon: " + daemon.map(d -> "running, pid " + (d.pid() == null ? "unknown" : d.pid())
                + (d.started() == null ? "" : ", up " + age(Duration.between(d.started(), now)) + " (since "
                        + d.started().truncatedTo(ChronoUnit.SECONDS) + ")")
                + ", version " + (d.version() == null ? "unknown" : d.version()))
                .orElse("not running on " + state));
        StringBuilder s = new StringBuilder("store:  ").append(store.state());
        if (store.outage() != null) {
            s.append(" since ").append(store.outage().since()).append(": ").append(store.outage().why());
        }
        if (store.bytes() != null) {
            s.append(", ").append(store.bytes()).append(" bytes, ").append(store.samplesLastMinute())
                    .append(" samples in the last minute");
        }
        if (store.droppedSinceStart() != null) {
            s.append(", ").append(store.droppedSinceStart()).append(" dropped since the daemon started");
        }
        out.println(s);
        if (devices.isEmpty()) {
            return;
        }
        out.println();
        TextTable t = new TextTable(List.of("DEVICE", "STATE", "LAST SAMPLE (UTC)", "AGE"), Set.of(3));
        for (DevicesCommand.Shown d : devices) {
            Long last = d.d().lastSampleMicros();
            t.add(java.util.Arrays.asList(d.d().device(), d.state(), last == null ? null
                    : SqlSampleStore.instant(last).truncatedTo(ChronoUnit.SECONDS).toString(), last == null ? null
                            : age(Duration.between(SqlSampleStore.instant(last), now))));
        }
        t.print(out);
    }

    private static boolean json(Path state, Optional<RunningDaemon> daemon, Store store,
            List<DevicesCommand.Shown> devices, Instant now, PrintStream out, PrintStream err) {
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("running", daemon.isPresent());
        d.put("stateDirectory", state.toString());
        daemon.ifPresent(r -> {
            d.put("pid", r.pid());
            d.put("version", r.version());
            d.put("started", r.started() == null ? null : r.started().toString());
            d.put("uptimeSeconds", r.started() == null ? null : Duration.between(r.started(), now).toSeconds());
        });
        all.put("daemon", d);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", store.state());
        s.put("outage", store.outage() == null ? null
                : Map.of("since", String.valueOf(store.outage().since()), "why", String.valueOf(store.outage().why())));
        s.put("bytes", store.bytes());
        s.put("samplesLastMinute", store.samplesLastMinute());
        s.put("droppedSinceStart", store.droppedSinceStart());
        all.put("store", s);
        List<Map<String, Object>> list = new ArrayList<>();
        for (DevicesCommand.Shown x : devices) {
            Map<String, Object> o = new LinkedHashMap<>();
            Long last = x.d().lastSampleMicros();
            o.put("device", x.d().device());
            o.put("state", x.state());
            o.put("attached", x.attached());
            o.put("lastSample", last == null ? null : SqlSampleStore.instant(last).toString());
            o.put("ageSeconds", last == null ? null
                    : Duration.between(SqlSampleStore.instant(last), now).toMillis() / 1000.0);
            list.add(o);
        }
        all.put("devices", list);
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
            return true;
        } catch (JsonProcessingException e) {
            err.println("usblogd: " + e.getMessage());
            return false;
        }
    }

    /** A duration for people: 0.4 s, 12 s, 3 min 4 s, 2 h 5 min, 3 d 4 h; negative (a clock step) as such. */
    static String age(Duration d) {
        if (d.isNegative()) {
            return "-" + age(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    static final class FormatName implements ITypeConverter<Format> {
        @Override
        public Format convert(String s) {
            return switch (s) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new TypeConversionException("'" + s + "' is not a format (text or json)");
            };
        }
    }
}
