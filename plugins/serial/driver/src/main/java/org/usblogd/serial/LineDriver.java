package org.usblogd.serial;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.LastGoodFile;
import org.usblogd.api.config.OneOf;
import org.usblogd.api.config.Range;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;
import org.usblogd.api.usb.UsbException;

/**
 * One line driver per {@code conf/org.usblogd.serial-NAME.cfg}: which adapter or board ({@code match.vid},
 * {@code match.pid}, {@code match.serial} or {@code match.port}), its line settings and its line format.
 * A mistake in a new file fails the component with the key named, before any device is touched; a mistake
 * in an edit of a running driver's file is one log line, and the driver goes on with the file as it was.
 */
@Component(configurationPid = LineDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Driver.class, immediate = true)
@Designate(ocd = LineDriver.Config.class, factory = true)
public class LineDriver implements Driver {
    static final String PID = SerialConfigRules.PID;
    private static final Logger log = LoggerFactory.getLogger(LineDriver.class);
    private static final ConfigCheck<Config> CHECK = SerialConfigRules.CHECK;

    @ObjectClassDefinition(name = "usblogd serial line driver",
            description = "match.*: the device; baud, data.bits, parity, stop.bits, dtr, rts: the line; format"
                    + " (csv, keyvalue, regex), csv.columns, csv.separator, regex, channel.NAME.unit: the lines;"
                    + " channel.NAME.min, channel.NAME.max: values outside are dropped and counted")
    public @interface Config {
        @AttributeDefinition(description = "auto (from the IDs and interfaces), cdc-acm, ftdi, ch340 or cp210x")
        @OneOf({ "auto", "cdc-acm", "ftdi", "ch340", "cp210x" })
        String chip() default "auto";

        @AttributeDefinition(description = "Longest line kept; longer ones are cut off and counted")
        @Range(min = 16, max = 65_536)
        int max_line() default 256;

        @AttributeDefinition(description = "Line rate; 1200 is refused (it reboots Arduino and Pico boards into"
                + " their bootloader)")
        @Range(min = 50, max = 12_000_000)
        int baud() default 115_200;

        @AttributeDefinition(description = "5, 6, 7 or 8")
        @Range(min = 5, max = 8)
        int data_bits() default 8;

        @AttributeDefinition(description = "none, odd, even, mark or space")
        @OneOf({ "none", "odd", "even", "mark", "space" })
        String parity() default "none";

        @AttributeDefinition(description = "1, 1.5 or 2")
        @OneOf({ "1", "1.5", "2" })
        String stop_bits() default "1";

        @AttributeDefinition(description = "Raise DTR (Pico stdio and many sketches say nothing until it is)")
        boolean dtr() default true;

        @AttributeDefinition(description = "Raise RTS")
        boolean rts() default true;

        @AttributeDefinition(description = "csv, keyvalue or regex")
        @OneOf({ "csv", "keyvalue", "regex" })
        String format() default "csv";
    }

    /** Everything one version of the file says, checked as a whole before it is used. */
    private record Setup(String name, DeviceMatch row, LineSettings line, String chip, int maxLine,
            Map<String, ?> properties) {
    }

    /** The file's last good content; null while the file has never been right (then no device is taken). */
    private final LastGoodFile<Setup> file = new LastGoodFile<>(PID, LineDriver::setup, Setup::row);

    @Activate
    public LineDriver(Map<String, Object> properties) {
        file.apply(properties).ifPresent(log::error);
    }

    /** An edited file: applied when it is right (the core then restarts the driver's sessions). */
    @Modified
    void modified(Map<String, Object> properties) {
        file.apply(properties).ifPresent(log::error);
    }

    /**
     * @throws IllegalArgumentException one line naming the file and the first mistake in it; every other
     *             mistake is logged on a line of its own
     */
    private static Setup setup(Map<String, Object> properties) {
        Config config = CHECK.check(properties).configOrThrow(p -> log.warn("{}", p), p -> log.error("{}", p));
        SerialConfigRules.Parsed parsed = SerialConfigRules.parse(properties);
        return new Setup(parsed.name(), parsed.row(), parsed.line(), config.chip(), config.max_line(),
                Map.copyOf(properties));
    }

    /** The line settings in force: the file's last good ones. */
    LineSettings line() {
        return file.content().orElseThrow().line();
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public List<DeviceMatch> configuredMatches() {
        return file.rows();
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        // no rows while the file was never right: only a race with its first, wrong version gets here
        Setup s = file.content().orElseThrow(() -> new IllegalStateException("driver " + file.name()
                + ": its file has no good content yet"));
        SerialChip c = SerialChip.of(link.info(), s.chip()).orElseThrow(() -> new UsbException(
                UsbException.Kind.OTHER, link.info().vidPid()
                        + " is no serial chip usblogd knows (CDC-ACM, FTDI, CH340, CP210x); set chip"));
        c.open(link, s.line());
        LineFormat f = LineFormat.parse(s.properties()); // a fresh parser: counts per session
        sink.event("serial.open", c.name() + " at " + s.line());
        return new LineSession(link, sink, c, new LineAssembler(maxLine(s)), f); // declares the format's channels
    }

    private static int maxLine(Setup s) {
        return Math.max(16, s.maxLine());
    }
}
