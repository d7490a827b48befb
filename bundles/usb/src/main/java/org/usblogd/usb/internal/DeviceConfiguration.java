package org.usblogd.usb.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.Range;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;

/**
 * One {@code conf/org.usblogd.device-NAME.cfg}: settings for the devices its {@code device} key selects.
 * {@link DeviceFiles} makes one for each file and hands it to the device manager; changing or deleting the
 * file is applied to the devices at once (their sessions restart with the new settings).
 */
public class DeviceConfiguration {
    static final String FACTORY_PID = "org.usblogd.device";

    @ObjectClassDefinition(name = "usblogd device settings",
            description = "Settings of one device or one kind of device; channel.NAME = NEW renames a channel"
                    + " (channel.NAME = off drops it); drivers read further keys of their own")
    public @interface Config {
        @AttributeDefinition(description = "Which devices: an ID as `usblogd devices` shows it"
                + " (04d9:a052:ABC123, 04d9:a052@1-4) or vid:pid for every device of that kind")
        String device();

        @AttributeDefinition(description = "false: the device is left alone (its session stops)")
        boolean enabled() default true;

        @AttributeDefinition(description = "Poll interval for drivers that poll (ms); the driver's own when not set")
        @Range(min = 10, max = 86_400_000)
        long poll_ms();
    }

    private static final Logger log = LoggerFactory.getLogger(DeviceConfiguration.class);

    private final String file;
    /** What the file says; replaced by a valid edit, kept through an invalid one. */
    private volatile Content content;

    private record Content(String selector, boolean enabled, Map<String, String> values) {
    }

    /** A file that names no device: it selects none (no ID is empty) and says nothing. */
    private static final Content NO_DEVICE = new Content("", true, Map.of());

    /**
     * Takes the configuration as properties rather than as {@link Config}: a converted annotation would turn
     * {@code enabled = yes} into false, silently leaving the device alone. A file that names no device is
     * one log line and selects none. Keys neither the core nor an installed driver declares are a warning.
     */
    public DeviceConfiguration(Map<String, Object> properties, DeviceSettingsRules rules) {
        this.file = ConfigCheck.file(properties);
        ConfigCheck.Checked<Config> checked = rules.check().check(properties);
        report(checked, "its default is used until the file is corrected");
        Content c = content(checked, properties, "the file applies to no device until then");
        this.content = c == null ? NO_DEVICE : c;
    }

    /** A file checked by the core's keys alone, as when no driver is installed. */
    DeviceConfiguration(Map<String, Object> properties) {
        this(properties, new DeviceSettingsRules());
    }

    /** A changed file checked by the core's keys alone. */
    void modified(Map<String, Object> properties) {
        modified(properties, new DeviceSettingsRules());
    }

    /** A changed file: applied when right, otherwise one line per mistake and the settings stay as they were. */
    void modified(Map<String, Object> properties, DeviceSettingsRules rules) {
        ConfigCheck.Checked<Config> checked = rules.check().check(properties);
        report(checked, "the device settings stay as they were");
        Content c = content(checked, properties, "the device settings stay as they were");
        if (checked.valid() && c != null) {
            content = c;
        }
    }

    private static void report(ConfigCheck.Checked<Config> checked, String whatIsDone) {
        checked.errors().forEach(p -> log.error("{}; {}", p, whatIsDone));
        checked.unknownKeys().forEach(p -> log.warn("{}", p));
    }

    /** The file's content, or null (said in one line) when it names no device. */
    private Content content(ConfigCheck.Checked<Config> checked, Map<String, Object> properties, String whatIsDone) {
        String device;
        try {
            device = DeviceSettingsRules.selector(properties);
        } catch (IllegalArgumentException e) {
            log.error("{}; {}", e.getMessage(), whatIsDone);
            return null;
        }
        Map<String, String> v = new HashMap<>();
        properties.forEach((k, value) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")
                    && value != null) {
                v.put(k, String.valueOf(value));
            }
        });
        // a wrong value is not handed on to the driver: the default stands in for it, as for the core
        checked.errors().forEach(p -> v.remove(p.key()));
        return new Content(device, checked.config().enabled(), Map.copyOf(v));
    }

    /**
     * Another file that says something about exactly the same devices: a line to log, naming both files and
     * the devices; null when they do not overlap.
     */
    String overlap(DeviceConfiguration other) {
        if (other == this || selector().isEmpty() || !other.selector().equals(selector())) {
            return null;
        }
        return file + " and " + other.file + " both configure device " + selector() + "; where both set a key,"
                + " either may win: keep one of them";
    }

    /** The file this configuration came from. */
    String file() {
        return file;
    }

    /** 2 for the device's own ID, 1 for its vid:pid, 0 when this file is not about it. */
    int specificity(DeviceIdentity identity) {
        String selector = content.selector();
        return selector.isEmpty() ? 0 : DeviceSettingsRules.specificity(selector, identity);
    }

    boolean enabled() {
        return content.enabled();
    }

    String selector() {
        return content.selector();
    }

    /**
     * The settings of a device from every file that selects it; a file naming the device itself overrides
     * one naming its kind.
     */
    static DeviceSettings settingsFor(Iterable<DeviceConfiguration> all, DeviceIdentity identity) {
        Map<String, String> merged = new HashMap<>();
        for (int level = 1; level <= 2; level++) {
            for (DeviceConfiguration c : all) {
                if (c.specificity(identity) == level) {
                    merged.putAll(c.content.values());
                }
            }
        }
        return new DeviceSettings(merged);
    }
}
