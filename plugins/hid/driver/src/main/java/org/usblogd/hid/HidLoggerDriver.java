package org.usblogd.hid;

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
import org.usblogd.api.config.DriverFile;
import org.usblogd.api.config.Range;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * One driver per {@code conf/org.usblogd.hid-NAME.cfg}: the device its {@code match.*} keys name, and the
 * fields of every input report it sends. A device the user named outranks the built-in drivers. A mistake in
 * a new file fails the component with the key named; a mistake in an edit of a running driver's file is one
 * log line, and the driver goes on with the file as it was.
 */
@Component(configurationPid = HidLoggerDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Driver.class, immediate = true)
@Designate(ocd = HidLoggerDriver.Config.class, factory = true)
public class HidLoggerDriver implements Driver {
    static final String PID = HidConfigRules.PID;
    private static final Logger log = LoggerFactory.getLogger(HidLoggerDriver.class);
    private static final ConfigCheck<Config> CHECK = HidConfigRules.CHECK;

    @ObjectClassDefinition(name = "usblogd generic HID logger",
            description = "match.vid, match.pid (and match.product, match.serial, match.port) name the device;"
                    + " field.NAME.offset / .length / .endian / .signed / .scale / .add / .unit the values;"
                    + " field.NAME.min / .max: values outside are dropped and counted")
    public @interface Config {
        @AttributeDefinition(description = "HID interface number")
        @Range(min = 0, max = 255)
        int interface_number() default 0;

        @AttributeDefinition(description = "Interrupt IN endpoint (e.g. 0x81); empty: the interface's first")
        String endpoint() default "";

        @AttributeDefinition(description = "Only reports whose first byte is this report ID; empty: all")
        String report_id() default "";
    }

    /** Everything one version of the file says, checked as a whole before it is used. */
    private record Setup(String name, DeviceMatch row, ReportFields fields, int interfaceNumber, int endpoint) {
    }

    /** The file's last good content; null while the file has never been right (then no device is taken). */
    private volatile Setup setup;
    /** The name the file gives the driver, right or not: what the data and the log call it. */
    private volatile String name;

    /**
     * A file with a mistake is said in one line and takes no device until it is corrected: failing the
     * component instead would print Declarative Services' stack trace and leave nothing to correct it into.
     */
    @Activate
    public HidLoggerDriver(Map<String, Object> properties) {
        apply(properties);
    }

    /**
     * An edited file: applied when it is right (the core then restarts the driver's sessions), otherwise one
     * line per mistake and the driver goes on with what it had.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        name = DriverFile.driverName(PID, properties);
        try {
            setup = setup(properties);
        } catch (IllegalArgumentException e) {
            Setup last = setup;
            log.error("{}; {}", e.getMessage(), last == null
                    ? "no device is taken by this file until it is corrected"
                    : "the driver " + last.name() + " keeps running on the file's last good content");
        }
    }

    /**
     * @throws IllegalArgumentException one line naming the file and the first mistake in it; every other
     *             mistake is logged on a line of its own
     */
    private static Setup setup(Map<String, Object> properties) {
        Config config = CHECK.check(properties).configOrThrow(p -> log.warn("{}", p), p -> log.error("{}", p));
        HidConfigRules.Parsed parsed = HidConfigRules.parse(properties);
        return new Setup(parsed.name(), parsed.row(), parsed.fields(), config.interface_number(), parsed.endpoint());
    }

    @Override
    public String name() {
        Setup s = setup;
        return s == null ? name : s.name();
    }

    @Override
    public List<DeviceMatch> configuredMatches() {
        Setup s = setup;
        return s == null ? List.of() : List.of(s.row());
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        Setup s = setup;
        if (s == null) { // it has no rows then: only a race with the file's first, wrong version gets here
            throw new IllegalStateException("driver " + name + ": its file has no good content yet");
        }
        for (ReportFields.Field f : s.fields().fields()) {
            sink.declare(new Channel(f.name(), f.unit(), f.name()));
        }
        return HidLoggerSession.open(link, sink, s.interfaceNumber(), s.endpoint(), s.fields());
    }
}
