package org.usblogd.framework;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.DeviceListing;
import org.usblogd.store.jdbc.SqlSampleStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code usblogd devices}: every device the logger has seen. */
@Command(name = "devices", description = { "List every device seen: its state, attached or not, its driver and why,"
        + " its sample count and the time of its newest sample.", "Works whether the daemon runs or not." })
final class DevicesCommand implements Callable<Integer> {
    /** What STATE says of a device the database marks attached while no daemon runs (one was killed). */
    static final String DAEMON_STOPPED = "daemon stopped";

    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--channels", description = "list each device's channels and their units instead")
    boolean channels;

    @Option(names = "--format", paramLabel = "text|json", converter = FormatName.class, defaultValue = "text",
            description = "text, or json: an array of devices, each with its channels; default: text")
    Format format;

    enum Format {
        TEXT, JSON
    }

    /** A device as shown: the listing corrected by whether a daemon runs at all. */
    record Shown(DeviceListing.Device d, boolean attached, String state) {
    }

    @Override
    public Integer call() {
        Path state = usblogd.stateDirectory();
        PrintStream out = usblogd.out;
        PrintStream err = usblogd.err;
        SqlSampleStore store;
        try {
            store = StoreAccess.open(state);
        } catch (java.io.IOException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        if (store == null) {
            if (format == Format.JSON) {
                out.println("[]");
            }
            err.println("usblogd: no database in " + state + " yet: no device has been seen");
            return 0;
        }
        List<DeviceListing.Device> devices;
        try {
            devices = new DeviceListing(store.dataSource()).devices();
        } catch (StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        List<Shown> shown = shown(devices, StateLock.held(state));
        if (format == Format.JSON) {
            return json(shown, out, err);
        }
        if (channels) {
            TextTable t = new TextTable(List.of("DEVICE", "CHANNEL", "UNIT"), Set.of());
            for (Shown s : shown) {
                for (DeviceListing.Channel c : s.d().channels()) {
                    t.add(List.of(s.d().device(), c.name(), c.unit()));
                }
            }
            t.print(out);
            return 0;
        }
        TextTable t = new TextTable(List.of("DEVICE", "VID:PID", "PRODUCT", "STATE", "ATTACHED", "DRIVER", "BUS",
                "SAMPLES", "LAST SEEN (UTC)", "WHY"), Set.of(7));
        for (Shown s : shown) {
            DeviceListing.Device d = s.d();
            t.add(java.util.Arrays.asList(d.device(), d.vidPid(), d.product(), s.state(), s.attached() ? "yes" : "no",
                    d.driver(), d.backend(), Long.toString(d.samples()), lastSeen(d), d.binding()));
        }
        t.print(out);
        return 0;
    }

    /**
     * The devices as shown: what the database says was attached when a daemon was killed stays so until the
     * next one starts, so without a daemon nothing is attached.
     */
    static List<Shown> shown(List<DeviceListing.Device> devices, boolean daemon) {
        return devices.stream().map(d -> new Shown(d, d.attached() && daemon,
                d.attached() && !daemon ? DAEMON_STOPPED : d.state().label())).toList();
    }

    private static String lastSeen(DeviceListing.Device d) {
        return d.lastSampleMicros() == null ? null
                : SqlSampleStore.instant(d.lastSampleMicros()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static int json(List<Shown> shown, PrintStream out, PrintStream err) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Shown s : shown) {
            DeviceListing.Device d = s.d();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("device", d.device());
            o.put("vidPid", d.vidPid());
            o.put("product", d.product());
            o.put("state", s.state());
            o.put("attached", s.attached());
            o.put("driver", d.driver());
            o.put("bus", d.backend());
            o.put("samples", d.samples());
            o.put("lastSeen", d.lastSampleMicros() == null ? null
                    : SqlSampleStore.instant(d.lastSampleMicros()).toString());
            o.put("why", d.binding());
            o.put("channels", d.channels().stream().map(c -> {
                Map<String, Object> ch = new LinkedHashMap<>();
                ch.put("name", c.name());
                ch.put("unit", c.unit());
                return ch;
            }).toList());
            all.add(o);
        }
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
            return 0;
        } catch (JsonProcessingException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
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
