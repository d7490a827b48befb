package org.usblogd.usb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigSelection;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * The rules of {@code conf/org.usblogd.device-NAME.cfg}, for {@link DeviceConfiguration} and
 * {@code usblogd check}: the keys and values {@link DeviceConfiguration.Config} declares, the core's channel
 * renames, the keys the installed drivers declare as theirs ({@code UsbMatch#settings()}), the {@code device}
 * key every such file needs, and which devices it names.
 */
public final class DeviceSettingsRules implements ConfigRules {
    /** The core's own keys besides the annotation's. */
    private static final String CHANNEL_RENAMES = "channel.*";

    private final List<String> driverSettings;
    private final ConfigCheck<DeviceConfiguration.Config> check;

    /** The core's keys alone: as {@code usblogd check} loads the rules, before it names the installed drivers'. */
    public DeviceSettingsRules() {
        this(List.of());
    }

    /** @param driverSettings the key patterns the installed drivers declare, such as {@code scpi.*} */
    DeviceSettingsRules(Collection<String> driverSettings) {
        this.driverSettings = List.copyOf(driverSettings);
        List<String> extra = new ArrayList<>(List.of(CHANNEL_RENAMES));
        extra.addAll(this.driverSettings);
        this.check = ConfigCheck.of(DeviceConfiguration.Config.class, extra);
    }

    @Override
    public ConfigRules withDriverSettings(Collection<String> patterns) {
        return new DeviceSettingsRules(patterns);
    }

    /** The check of the annotation's keys and values, and of every other key against the known ones. */
    ConfigCheck<DeviceConfiguration.Config> check() {
        return check;
    }

    @Override
    public String pid() {
        return DeviceConfiguration.FACTORY_PID;
    }

    @Override
    public boolean factory() {
        return true;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        List<String> lines = new ArrayList<>();
        check.check(properties).problems().forEach(p -> lines.add(p.toString()));
        try {
            selector(properties);
        } catch (IllegalArgumentException e) {
            lines.add(e.getMessage());
        }
        return lines;
    }

    /**
     * The devices the file names, as written in lower case: a device's ID or a vid:pid.
     *
     * @throws IllegalArgumentException when the file names none
     */
    static String selector(Map<String, ?> properties) {
        Object device = properties.get("device");
        if (device == null || device.toString().isBlank()) {
            throw new IllegalArgumentException(ConfigCheck.file(properties)
                    + ": no device is named: add device = ID (as usblogd devices shows it) or device = vid:pid");
        }
        return device.toString().strip().toLowerCase(Locale.ROOT);
    }

    /** 2 when the selector is the device's own ID, 1 when it is its vid:pid, 0 when it is not about it. */
    static int specificity(String selector, DeviceIdentity identity) {
        String key = identity.key().toLowerCase(Locale.ROOT);
        if (key.equals(selector)) {
            return 2;
        }
        return key.startsWith(selector) && key.length() > selector.length()
                && (key.charAt(selector.length()) == ':' || key.charAt(selector.length()) == '@')
                && selector.length() == 9 ? 1 : 0;
    }

    @Override
    public Optional<ConfigSelection> selection(Map<String, ?> properties) {
        return Optional.of(new Devices(selector(properties)));
    }

    /** The devices a settings file names; two files naming the same are both applied, key by key. */
    record Devices(String selector) implements ConfigSelection {
        @Override
        public String describe() {
            return "settings of device " + selector;
        }

        @Override
        public boolean matches(UsbDeviceInfo device) {
            return specificity(selector, DeviceIdentity.of(device)) > 0;
        }

        @Override
        public boolean overlaps(ConfigSelection other) {
            return other instanceof Devices d && d.selector.equals(selector);
        }
    }
}
