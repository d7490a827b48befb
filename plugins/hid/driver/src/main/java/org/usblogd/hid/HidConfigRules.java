package org.usblogd.hid;

import java.util.ArrayList;
import java.util.HexFormat;
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
 * The rules of {@code conf/org.usblogd.hid-NAME.cfg}, for {@link HidLoggerDriver} and {@code usblogd check}
 * alike: the keys and values {@link HidLoggerDriver.Config} declares, then the device's match row, the
 * report's fields and the endpoint, in the order the driver reads them.
 */
public final class HidConfigRules implements ConfigRules {
    static final String PID = "org.usblogd.hid";
    /** The keys besides the annotation's: the device's, and the fields' (whose parts ReportFields checks). */
    static final ConfigCheck<HidLoggerDriver.Config> CHECK = ConfigCheck.of(HidLoggerDriver.Config.class,
            Stream.concat(DriverFile.KEYS.stream(), Stream.of("field.*")).toList());

    /** What a right file says about the device and its reports. */
    record Parsed(String name, DeviceMatch row, ReportFields fields, int endpoint) {
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
     * The driver's name, row, fields and endpoint (-1: the interface's first) of a file whose values
     * {@link #CHECK} found right.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong in it
     */
    static Parsed parse(Map<String, ?> properties) {
        DeviceMatch row = row(properties);
        try {
            ReportFields fields = ReportFields.parse(properties);
            Object endpoint = properties.get("endpoint");
            int ep = endpoint == null || endpoint.toString().isBlank() ? -1
                    : ReportFields.byteValue("endpoint", endpoint.toString().strip());
            return new Parsed(row.driver(), row, fields, ep);
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
        return DriverFile.row(PID, properties, "match.vid and match.pid");
    }

    /** The devices the file's match keys name, whatever else is wrong in it. */
    @Override
    public Optional<ConfigSelection> selection(Map<String, ?> properties) {
        return Optional.of(ConfigSelection.driver(row(properties)));
    }

    @Override
    public Set<String> trialInputs() {
        return Set.of(REPORT);
    }

    /** The report as the driver's session decodes it: every field, kept or dropped. */
    @Override
    public ConfigTrial trial(Map<String, ?> properties, String kind, String input) {
        if (!REPORT.equals(kind)) {
            throw new IllegalArgumentException("a HID device's file reads reports, not a " + kind);
        }
        ReportFields fields = parse(properties).fields();
        byte[] report = bytes(input);
        String refusal = fields.refusal(report, report.length);
        if (refusal != null) {
            return new ConfigTrial(List.of(), List.of(), refusal + " (the driver counts it in decode.bad events)");
        }
        List<ConfigTrial.Sample> samples = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (ReportFields.Field f : fields.fields()) {
            double v = f.value(report);
            String why = ReportFields.implausibility(f, v);
            if (why == null) {
                samples.add(new ConfigTrial.Sample(f.name(), v, f.unit()));
            } else {
                dropped.add(why);
            }
        }
        return new ConfigTrial(samples, dropped, null);
    }

    /** "01 0a 08", "010a08", "01:0a:08" or "0x01,0x0a,0x08": the bytes of a report. */
    static byte[] bytes(String hex) {
        String digits = hex.replaceAll("0[xX]", "").replaceAll("[\\s:,.-]", "");
        String wrong = digits.isEmpty() ? "empty" : !digits.matches("[0-9a-fA-F]+") ? "something else"
                : digits.length() % 2 != 0 ? "an odd number of hex digits" : null;
        if (wrong != null) {
            throw new IllegalArgumentException("a report is hex bytes such as '01 0a 08 27'; '" + hex + "' is " + wrong);
        }
        return HexFormat.of().parseHex(digits);
    }
}
