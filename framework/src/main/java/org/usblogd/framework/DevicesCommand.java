package org.usblogd.framework;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StatusReport;

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
        List<DeviceStatus> shown;
        try {
            shown = new StatusReport(null, store).devices(StateLock.held(state));
        } catch (StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        if (format == Format.JSON) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(shown));
                return 0;
            } catch (JsonProcessingException e) {
                err.println("usblogd: " + e.getMessage());
                return 1;
            }
        }
        if (channels) {
            TextTable t = new TextTable(List.of("DEVICE", "CHANNEL", "UNIT"), Set.of());
            for (DeviceStatus d : shown) {
                for (DeviceStatus.ChannelStatus c : d.channels()) {
                    t.add(List.of(d.device(), c.name(), c.unit()));
                }
            }
            t.print(out);
            return 0;
        }
        TextTable t = new TextTable(List.of("DEVICE", "VID:PID", "PRODUCT", "STATE", "ATTACHED", "DRIVER", "BUS",
                "SAMPLES", "LAST SEEN (UTC)", "WHY"), Set.of(7));
        for (DeviceStatus d : shown) {
            t.add(java.util.Arrays.asList(d.device(), d.vidPid(), d.product(), d.state(), d.attached() ? "yes" : "no",
                    d.driver(), d.bus(), Long.toString(d.samples()), d.lastSeen() == null ? null
                            : Instant.parse(d.lastSeen()).truncatedTo(ChronoUnit.SECONDS).toString(), d.why()));
        }
        t.print(out);
        return 0;
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
