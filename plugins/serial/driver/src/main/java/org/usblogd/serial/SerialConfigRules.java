package org.usblogd.serial;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.DriverFile;
import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigSelection;
import org.usblogd.api.config.ConfigTrial;
import org.usblogd.api.driver.DeviceMatch;

/**
 * The rules of {@code conf/org.usblogd.serial-NAME.cfg}, for {@link LineDriver} and {@code usblogd check}
 * alike: the keys and values {@link LineDriver.Config} declares, then the device's match row, the line
 * settings and the line format, in the order the driver reads them.
 */
public final class SerialConfigRules implements ConfigRules {
    static final String PID = "org.usblogd.serial";
    /** The keys the file may hold besides the annotation's: the device, the format's and the channels'. */
    static final ConfigCheck<LineDriver.Config> CHECK = ConfigCheck.of(LineDriver.Config.class, Stream.concat(
            DriverFile.KEYS.stream(), Stream.of("csv.columns", "csv.separator", "regex",
                    "channel.*.unit", "channel.*.min", "channel.*.max")).toList());

    /** What a right file says about the device and its lines. */
    record Parsed(String name, DeviceMatch row, LineSettings line, LineFormat format) {
    }

    @Override
    public String pid() {
        return PID;
    }

    @Override
    public boolean factory() {
        return true;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        return CHECK.problems(properties, p -> parse(p));
    }

    /**
     * The driver's name, row, line settings and format of a file whose values {@link #CHECK} found right.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong in it
     */
    static Parsed parse(Map<String, ?> properties) {
        DeviceMatch row = row(properties);
        try {
            return new Parsed(row.driver(), row, LineSettings.parse(properties), LineFormat.parse(properties));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigCheck.file(properties) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The driver's match row, named after the file.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong in its match keys
     */
    static DeviceMatch row(Map<String, ?> properties) {
        return DriverFile.row(PID, properties, "match.vid and match.pid, match.serial or match.port");
    }

    /** The devices the file's match keys name, whatever else is wrong in it. */
    @Override
    public Optional<ConfigSelection> selection(Map<String, ?> properties) {
        return Optional.of(ConfigSelection.driver(row(properties)));
    }

    @Override
    public Set<String> trialInputs() {
        return Set.of(LINE);
    }

    /**
     * The line as the driver's session reads it: cut off when longer than {@code max.line}, then the values
     * of the format, each kept or dropped.
     */
    @Override
    public ConfigTrial trial(Map<String, ?> properties, String kind, String input) {
        if (!LINE.equals(kind)) {
            throw new IllegalArgumentException("a serial device's file reads lines, not a " + kind);
        }
        LineFormat format = parse(properties).format();
        int maxLine = Math.max(16, CHECK.check(properties).config().max_line());
        byte[] bytes = ("\n" + input + "\n").getBytes(StandardCharsets.UTF_8);
        List<String> lines = new LineAssembler(maxLine).add(bytes, 0, bytes.length);
        if (lines.isEmpty()) {
            return new ConfigTrial(List.of(), List.of(), "the line is longer than max.line (" + maxLine + " bytes): the"
                    + " driver cuts it off and counts it (serial.line-cut events)");
        }
        List<LineFormat.Value> found = new ArrayList<>();
        lines.forEach(l -> found.addAll(format.read(l)));
        if (found.isEmpty()) {
            return new ConfigTrial(List.of(), List.of(), "the line holds no value in this file's format (the driver"
                    + " counts it in decode.bad events)");
        }
        List<ConfigTrial.Sample> samples = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (LineFormat.Value v : found) {
            String why = format.implausibility(v);
            if (why == null) {
                samples.add(new ConfigTrial.Sample(v.channel(), v.value(), format.channels().get(v.channel())));
            } else {
                dropped.add(why);
            }
        }
        return new ConfigTrial(samples, dropped, null);
    }
}
