package org.usblogd.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigSelection;
import org.usblogd.api.usb.UsbDeviceInfo;

/** The core's files as {@code usblogd check} sees them, by the rules the core's components apply. */
class ConfigRulesTest {
    private static Map<String, ConfigRules> installed() {
        Map<String, ConfigRules> byPid = new HashMap<>();
        ServiceLoader.load(ConfigRules.class).forEach(r -> byPid.put(r.pid(), r));
        return byPid;
    }

    private static Map<String, Object> file(String name, String... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("felix.fileinstall.filename", "file:/etc/usblogd/" + name));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    @Test
    void theBundleDeclaresTheRulesOfEachOfItsFiles() {
        assertThat(installed()).containsKeys("org.usblogd.usb", "org.usblogd.usb.libusb", "org.usblogd.plugins",
                "org.usblogd.device");
        assertThat(installed().get("org.usblogd.device").factory()).isTrue();
        assertThat(installed().get("org.usblogd.usb").factory()).isFalse();
    }

    @Test
    void theCoreLibusbAndPluginFilesSayEachWrongValueAndMisspeltKey() {
        Map<String, ConfigRules> rules = installed();
        assertThat(rules.get("org.usblogd.usb").problems(file("org.usblogd.usb.cfg", "stale.restart", "yes")))
                .containsExactly("/etc/usblogd/org.usblogd.usb.cfg: stale.restart = yes is not valid: expected true"
                        + " or false");
        assertThat(rules.get("org.usblogd.usb.libusb").problems(file("org.usblogd.usb.libusb.cfg", "hotplug",
                "always"))).containsExactly("/etc/usblogd/org.usblogd.usb.libusb.cfg: hotplug = always is not valid:"
                        + " expected one of auto, udev, sysfs, none");
        assertThat(rules.get("org.usblogd.plugins").problems(file("org.usblogd.plugins.cfg", "grace", "5")))
                .containsExactly("/etc/usblogd/org.usblogd.plugins.cfg: unknown key grace = 5 is ignored (the nearest"
                        + " known key is grace.ms)");
        assertThat(rules.get("org.usblogd.usb").problems(file("org.usblogd.usb.cfg"))).isEmpty();
    }

    @Test
    void aDeviceFileNeedsADeviceAndStrictValues() {
        DeviceSettingsRules rules = new DeviceSettingsRules();
        assertThat(rules.problems(file("org.usblogd.device-dmm.cfg", "enabled", "yes", "poll.ms", "5"))).containsExactly(
                "/etc/usblogd/org.usblogd.device-dmm.cfg: enabled = yes is not valid: expected true or false",
                "/etc/usblogd/org.usblogd.device-dmm.cfg: poll.ms = 5 is not valid: expected a whole number from 10 to"
                        + " 86400000",
                "/etc/usblogd/org.usblogd.device-dmm.cfg: no device is named: add device = ID (as usblogd devices"
                        + " shows it) or device = vid:pid");
        assertThat(rules.problems(file("org.usblogd.device-dmm.cfg", "device", "1ab1:09c4", "channel.V", "volts")))
                .isEmpty();
    }

    @Test
    void aDeviceFileTakesTheKeysTheInstalledDriversDeclareAndCallsATypoOfThemUnknown() {
        ConfigRules rules = new DeviceSettingsRules().withDriverSettings(List.of("scpi.*", "audio.interval.ms",
                "audio.weightings", "audio.calibration.db", "audio.rate"));

        assertThat(rules.problems(file("org.usblogd.device-mic.cfg", "device", "0d8c:0016", "audio.calibration.db",
                "94", "audio.rate", "48000"))).isEmpty();
        assertThat(rules.problems(file("org.usblogd.device-dmm.cfg", "device", "1ab1:09c4", "scpi.query.1",
                "MEAS:VOLT:DC? -> voltage V"))).isEmpty();
        assertThat(rules.problems(file("org.usblogd.device-mic.cfg", "device", "0d8c:0016", "audoi.rate", "48000")))
                .containsExactly("/etc/usblogd/org.usblogd.device-mic.cfg: unknown key audoi.rate = 48000 is ignored"
                        + " (the nearest known key is audio.rate)");
    }

    @Test
    void aDriversKeyIsUnknownWhenNoInstalledDriverDeclaresIt() {
        assertThat(new DeviceSettingsRules().problems(file("org.usblogd.device-dmm.cfg", "device", "1ab1:09c4",
                "scpi.1", "MEAS:VOLT:DC? -> voltage V"))).containsExactly("/etc/usblogd/org.usblogd.device-dmm.cfg:"
                        + " unknown key scpi.1 = MEAS:VOLT:DC? -> voltage V is ignored (the nearest known key is"
                        + " device)");
    }

    @Test
    void aDeviceFileAppliesToTheDeviceItNamesByIdOrKindAndTwoNamingTheSameOverlap() {
        DeviceSettingsRules rules = new DeviceSettingsRules();
        ConfigSelection kind = rules.selection(file("a.cfg", "device", "16C0:05DC")).orElseThrow();
        ConfigSelection same = rules.selection(file("b.cfg", "device", "16c0:05dc")).orElseThrow();
        ConfigSelection one = rules.selection(file("c.cfg", "device", "16c0:05dc@1-4")).orElseThrow();
        UsbDeviceInfo meter = new UsbDeviceInfo(0x16c0, 0x05dc, 0x100, 0, 0, 0, "Wensn", "WS1361", null, "1-4", 3,
                List.of());
        UsbDeviceInfo other = meter.at("1-5", 4);

        assertThat(kind.describe()).isEqualTo("settings of device 16c0:05dc");
        assertThat(kind.matches(meter)).isTrue();
        assertThat(kind.matches(other)).isTrue();
        assertThat(one.matches(meter)).isTrue();
        assertThat(one.matches(other)).isFalse();
        assertThat(kind.overlaps(same)).isTrue();
        assertThat(kind.overlaps(one)).as("a device's own file is meant to win over its kind's").isFalse();
        assertThat(kind.overlaps(ConfigSelection.driver(org.usblogd.api.driver.DeviceMatch.vidPid("wensn", 0x16c0,
                0x05dc)))).isFalse();
    }
}
