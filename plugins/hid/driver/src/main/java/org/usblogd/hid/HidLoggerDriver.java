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
import org.usblogd.api.config.LastGoodFile;
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
    private final LastGoodFile<Setup> file = new LastGoodFile<>(PID, HidLoggerDriver::setup, Setup::row);

    @Activate
    public HidLoggerDriver(Map<String, Object> properties) {
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
        HidConfigRules.Parsed parsed = HidConfigRules.parse(properties);
        return new Setup(parsed.name(), parsed.row(), parsed.fields(), config.interface_number(), parsed.endpoint());
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
        for (ReportFields.Field f : s.fields().fields()) {
            sink.declare(new Channel(f.name(), f.unit(), f.name()));
        }
        return HidLoggerSession.open(link, sink, s.interfaceNumber(), s.endpoint(), s.fields());
    }
}
