package org.usblogd.framework;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.usblogd.api.status.Status;
import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.StatusReport;
import org.usblogd.store.jdbc.StoreLocation;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        Status status;
        java.util.TreeMap<String, OutputBacklogs.Entry> outputs;
        try {
            org.usblogd.store.jdbc.SqlSampleStore store = StoreAccess.open(state);
            status = new StatusReport(new StoreLocation(state), store).status(daemon(state, daemon));
            outputs = store == null ? new java.util.TreeMap<>()
                    : OutputBacklogs.read(store.dataSource(), usblogd.home == null ? null : usblogd.home.resolve("conf"));
        } catch (IOException | StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        if (format == Format.JSON) {
            try {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .addMixIn(Status.Daemon.class, OnlyWhatIsKnown.class);
                com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.valueToTree(status);
                if (!outputs.isEmpty()) {
                    com.fasterxml.jackson.databind.node.ArrayNode list = tree.putArray("outputs");
                    outputs.forEach((name, e) -> {
                        org.usblogd.api.store.Backlog b = e.backlog();
                        com.fasterxml.jackson.databind.node.ObjectNode o = list.addObject().put("name", name)
                                .put("removed", e.removed())
                                .put("backlogSamples", b.samples()).put("backlogEvents", b.events());
                        if (b.oldestMicros() != Long.MIN_VALUE) {
                            o.put("backlogOldest", org.usblogd.api.store.Micros.toInstant(b.oldestMicros()).toString());
                        }
                    });
                }
                out.println(mapper.writeValueAsString(tree));
            } catch (JsonProcessingException e) {
                err.println("usblogd: " + e.getMessage());
                return 1;
            }
        } else {
            text(status, out);
            outputs(outputs, out);
        }
        return daemon.isEmpty() ? NOT_RUNNING : status.store().outage() != null ? 1 : 0;
    }

    /** A daemon that does not run has no pid, version or start: they are left out, not null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private interface OnlyWhatIsKnown {
    }

    /** The daemon's facts as the lock file and its process tell them. */
    private static Status.Daemon daemon(Path state, Optional<RunningDaemon> daemon) {
        Instant now = Instant.now();
        return daemon.map(r -> new Status.Daemon(true, state.toString(), r.pid(), r.version(),
                r.started() == null ? null : r.started().toString(),
                r.started() == null ? null : Duration.between(r.started(), now).toSeconds()))
                .orElse(new Status.Daemon(false, state.toString(), null, null, null, null));
    }

    private static void text(Status status, PrintStream out) {
        Status.Daemon d = status.daemon();
        out.println("daemon: " + (!d.running() ? "not running on " + d.stateDirectory()
                : "running, pid " + (d.pid() == null ? "unknown" : d.pid())
                        + (d.started() == null ? "" : ", up " + age(Duration.ofSeconds(d.uptimeSeconds())) + " (since "
                                + Instant.parse(d.started()).truncatedTo(ChronoUnit.SECONDS) + ")")
                        + ", version " + (d.version() == null ? "unknown" : d.version())));
        Status.Store store = status.store();
        StringBuilder s = new StringBuilder("store:  ").append(store.state());
        if (store.outage() != null) {
            s.append(" since ").append(store.outage().since()).append(": ").append(store.outage().why());
        }
        if (store.samplesLastMinute() != null) {
            s.append(", ").append(store.bytes()).append(" bytes, ").append(store.samplesLastMinute())
                    .append(" samples in the last minute");
        }
        if (store.droppedSinceStart() != null) {
            s.append(", ").append(store.droppedSinceStart()).append(" dropped since the daemon started");
        }
        out.println(s);
        if (status.devices().isEmpty()) {
            return;
        }
        out.println();
        TextTable t = new TextTable(List.of("DEVICE", "STATE", "LAST SAMPLE (UTC)", "AGE"), Set.of(3));
        for (Status.Device device : status.devices()) {
            String last = device.lastSample();
            t.add(java.util.Arrays.asList(device.device(), device.state(), last == null ? null
                    : Instant.parse(last).truncatedTo(ChronoUnit.SECONDS).toString(), last == null ? null
                            : age(Duration.ofMillis(Math.round(device.ageSeconds() * 1000)))));
        }
        t.print(out);
    }

    /** What each output has yet to forward (whether it is connected, the running daemon's HTTP API says). */
    private static void outputs(java.util.Map<String, OutputBacklogs.Entry> outputs, PrintStream out) {
        if (outputs.isEmpty()) {
            return;
        }
        out.println();
        TextTable t = new TextTable(List.of("OUTPUT", "BACKLOG SAMPLES", "OLDEST (UTC)", "AGE", "BACKLOG EVENTS"),
                Set.of(1, 3, 4));
        Instant now = Instant.now();
        outputs.forEach((name, e) -> {
            org.usblogd.api.store.Backlog b = e.backlog();
            Instant oldest = b.oldestMicros() == Long.MIN_VALUE ? null
                    : org.usblogd.api.store.Micros.toInstant(b.oldestMicros());
            t.add(java.util.Arrays.asList(e.removed() ? name + " (file removed)" : name, Long.toString(b.samples()), oldest == null ? null
                    : oldest.truncatedTo(ChronoUnit.SECONDS).toString(), oldest == null ? null
                            : age(Duration.between(oldest, now)), Long.toString(b.events())));
        });
        t.print(out);
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
