package org.usblogd.hid;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * One driver per {@code conf/org.usblogd.hid-NAME.cfg}: the device its {@code match.*} keys name, and the
 * fields of every input report it sends. A device the user named outranks the built-in drivers.
 */
@Component(configurationPid = HidLoggerDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Driver.class, immediate = true)
@Designate(ocd = HidLoggerDriver.Config.class, factory = true)
public class HidLoggerDriver implements Driver {
    static final String PID = "org.usblogd.hid";
    /** What a row from a user's file scores unless it says otherwise: above any built-in row. */

    @ObjectClassDefinition(name = "usblogd generic HID logger",
            description = "match.vid, match.pid (and match.product, match.serial, match.port) name the device;"
                    + " field.NAME.offset / .length / .endian / .signed / .scale / .add / .unit the values;"
                    + " field.NAME.min / .max: values outside are dropped and counted")
    public @interface Config {
        @AttributeDefinition(description = "HID interface number")
        int interface_number() default 0;

        @AttributeDefinition(description = "Interrupt IN endpoint (e.g. 0x81); empty: the interface's first")
        String endpoint() default "";

        @AttributeDefinition(description = "Only reports whose first byte is this report ID; empty: all")
        String report_id() default "";
    }

    private final String name;
    private final DeviceMatch row;
    private final ReportFields fields;
    private final int interfaceNumber;
    private final int endpoint;

    @Activate
    public HidLoggerDriver(Config config, Map<String, Object> properties) {
        this.name = DeviceMatch.configuredDriverName(PID, (String) properties.get("felix.fileinstall.filename"),
                properties.get("name"));
        this.row = DeviceMatch.fromConfiguration(name, properties).orElseThrow(
                () -> new IllegalArgumentException(name + ": name the device with match.vid and match.pid"));
        this.fields = ReportFields.parse(properties); // fails activation with the key that is wrong
        this.interfaceNumber = config.interface_number();
        this.endpoint = config.endpoint().isBlank() ? -1 : Integer.decode(config.endpoint().strip());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<DeviceMatch> configuredMatches() {
        return List.of(row);
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        for (ReportFields.Field f : fields.fields()) {
            sink.declare(new Channel(f.name(), f.unit(), f.name()));
        }
        return HidLoggerSession.open(link, sink, interfaceNumber, endpoint, fields);
    }
}
