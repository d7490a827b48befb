package org.usblogd.serial;

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
import org.usblogd.api.usb.UsbException;

/**
 * One line driver per {@code conf/org.usblogd.serial-NAME.cfg}: which adapter or board ({@code match.vid},
 * {@code match.pid}, {@code match.serial} or {@code match.port}), its line settings and its line format.
 * A mistake in the file fails the component with the key named, before any device is touched.
 */
@Component(configurationPid = LineDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Driver.class, immediate = true)
@Designate(ocd = LineDriver.Config.class, factory = true)
public class LineDriver implements Driver {
    static final String PID = "org.usblogd.serial";

    @ObjectClassDefinition(name = "usblogd serial line driver",
            description = "match.*: the device; baud, data.bits, parity, stop.bits, dtr, rts: the line; format"
                    + " (csv, keyvalue, regex), csv.columns, csv.separator, regex, channel.NAME.unit: the lines;"
                    + " channel.NAME.min, channel.NAME.max: values outside are dropped and counted")
    public @interface Config {
        @AttributeDefinition(description = "auto (from the IDs and interfaces), cdc-acm, ftdi, ch340 or cp210x")
        String chip() default "auto";

        @AttributeDefinition(description = "Longest line kept; longer ones are cut off and counted")
        int max_line() default 256;
    }

    private final String name;
    private final DeviceMatch row;
    private final LineSettings line;
    private final String chip;
    private final int maxLine;
    private final Map<String, ?> properties;

    @Activate
    public LineDriver(Config config, Map<String, Object> properties) {
        this.name = DeviceMatch.configuredDriverName(PID, (String) properties.get("felix.fileinstall.filename"),
                properties.get("name"));
        this.row = DeviceMatch.fromConfiguration(name, properties).orElseThrow(
                () -> new IllegalArgumentException(name + ": name the device with match.vid and match.pid,"
                        + " match.serial or match.port"));
        this.line = LineSettings.parse(properties);
        LineFormat.parse(properties); // refuses a wrong format now, not when a device comes
        this.chip = config.chip();
        this.maxLine = Math.max(16, config.max_line());
        this.properties = Map.copyOf(properties);
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
        SerialChip c = SerialChip.of(link.info(), chip).orElseThrow(() -> new UsbException(UsbException.Kind.OTHER,
                link.info().vidPid() + " is no serial chip usblogd knows (CDC-ACM, FTDI, CH340, CP210x); set chip"));
        c.open(link, line);
        LineFormat f = LineFormat.parse(properties); // a fresh parser: counts per session
        f.channels().forEach((channel, unit) -> sink.declare(new Channel(channel, unit, channel)));
        sink.event("serial.open", c.name() + " at " + line);
        return new LineSession(link, sink, c, new LineAssembler(maxLine), f);
    }
}
