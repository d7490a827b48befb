package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.driver.DeviceMatch;

class UdevRulesTest {

    @Test
    void aVendorAndProductRowGrantsTheGroupThatDeviceThroughAnAclLeavingItsOwnerGroupAndModeAlone() {
        assertThat(UdevRules.rules(DeviceMatch.vidPid("co2mon", 0x04d9, 0xa052), "usblogd")).containsExactly(
                "ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"");
    }

    @Test
    void stringsBecomeAttributeGlobs() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "sound", "vid", "16c0", "pid", "05dc",
                "product", "WS13*"));

        assertThat(UdevRules.rules(row, "logger")).containsExactly("ATTR{idVendor}==\"16c0\", ATTR{idProduct}==\"05dc\","
                + " ATTR{product}==\"WS13*\", RUN+=\"/usr/bin/setfacl -m g:logger:rw $devnode\"");
    }

    @Test
    void aClassRowMatchesTheDeviceClassOrAnInterfaceClass() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "usbtmc", "class", "fe", "subclass", "03"));

        assertThat(UdevRules.rules(row, "usblogd")).containsExactly(
                "ATTR{bDeviceClass}==\"fe\", ATTR{bDeviceSubClass}==\"03\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"",
                "ENV{ID_USB_INTERFACES}==\"*:fe03??:*\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"");
    }

    @Test
    void aStringThatCannotBeWrittenInARuleIsSkippedAndSaidSo() {
        DeviceMatch row = DeviceMatch.fromAttributes(Map.of("driver", "odd", "vid", "1234", "product", "say \"hi\""));
        PluginTables.Plugin plugin = new PluginTables.Plugin(Path.of("odd.jar"), "odd 1.0.0", List.of(row), List.of());

        assertThat(UdevRules.rules(row, "usblogd")).isEmpty();
        assertThat(UdevRules.render(List.of(plugin), "usblogd", "test")).contains("# (skipped: a string with a double"
                + " quote cannot be written in a rule)").doesNotContain("1234\", RUN");
    }

    @Test
    void everyRuleSitsBetweenTheUsbDeviceGuardAndItsLabel() {
        PluginTables.Plugin plugin = new PluginTables.Plugin(Path.of("co2mon.jar"), "org.usblogd.co2mon 1.0.0",
                List.of(DeviceMatch.vidPid("co2mon", 0x04d9, 0xa052)), List.of());

        List<String> lines = UdevRules.render(List.of(plugin), "usblogd", "plugins/").lines().toList();

        assertThat(lines).filteredOn(l -> !l.startsWith("#") && !l.isBlank()).containsExactly(
                "SUBSYSTEM!=\"usb\", GOTO=\"usblogd_end\"",
                "ENV{DEVTYPE}!=\"usb_device\", GOTO=\"usblogd_end\"",
                "ACTION==\"remove\", GOTO=\"usblogd_end\"",
                "ATTR{idVendor}==\"04d9\", ATTR{idProduct}==\"a052\", RUN+=\"/usr/bin/setfacl -m g:usblogd:rw $devnode\"",
                "LABEL=\"usblogd_end\"");
    }
}
