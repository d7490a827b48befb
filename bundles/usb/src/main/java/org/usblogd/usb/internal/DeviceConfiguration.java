package org.usblogd.usb.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;

/**
 * One {@code conf/org.usblogd.device-NAME.cfg}: settings for the devices its {@code device} key selects.
 * Each file is one instance of this component, found by the device manager as a service; changing or
 * deleting the file is applied to the devices at once (their sessions restart with the new settings).
 */
@Component(service = DeviceConfiguration.class, configurationPid = DeviceConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DeviceConfiguration.Config.class, factory = true)
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

        @AttributeDefinition(description = "Poll interval for drivers that poll (ms); empty: the driver's own")
        String poll_ms() default "";
    }

    private final String selector;
    private final boolean enabled;
    private final Map<String, String> values;

    @Activate
    public DeviceConfiguration(Config config, Map<String, Object> properties) {
        String device = config.device();
        if (device == null || device.isBlank()) {
            // the component fails to activate and SCR logs it; no device is touched by a file that names none
            throw new IllegalArgumentException("a device settings file (" + properties.get("felix.fileinstall.filename")
                    + ") needs `device = ID` or `device = vid:pid`");
        }
        this.selector = device.strip().toLowerCase(Locale.ROOT);
        this.enabled = config.enabled();
        Map<String, String> v = new HashMap<>();
        properties.forEach((k, value) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")
                    && value != null) {
                v.put(k, String.valueOf(value));
            }
        });
        this.values = Map.copyOf(v);
    }

    /** 2 for the device's own ID, 1 for its vid:pid, 0 when this file is not about it. */
    int specificity(DeviceIdentity identity) {
        String key = identity.key().toLowerCase(Locale.ROOT);
        if (key.equals(selector)) {
            return 2;
        }
        return key.startsWith(selector) && key.length() > selector.length()
                && (key.charAt(selector.length()) == ':' || key.charAt(selector.length()) == '@')
                && selector.length() == 9 ? 1 : 0;
    }

    boolean enabled() {
        return enabled;
    }

    String selector() {
        return selector;
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
                    merged.putAll(c.values);
                }
            }
        }
        return new DeviceSettings(merged);
    }
}
