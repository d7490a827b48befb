package org.usblogd.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.usb.UsbDeviceInfo;

/** The device's part of a configured driver's file, as FileInstall hands it over. */
class DriverFileTest {
    @Test
    void configuredRowsMayNameTheSerialNumberOrThePort() {
        UsbDeviceInfo pico = new UsbDeviceInfo(0x2e8a, 0x000a, 0x100, 0xef, 2, 1, "Raspberry Pi", "Pico",
                "E6614C311B7A2F2B", "1-1.4", 5, List.of());
        DeviceMatch bySerial = DriverFile.match("serial/greenhouse", Map.of("match.vid", "2e8a",
                "match.pid", "000a", "match.serial", "E6614C31*", "baud", "115200")).orElseThrow();
        DeviceMatch byPort = DriverFile.match("serial/bench", Map.of("match.port", "1-1.4")).orElseThrow();

        assertThat(bySerial.matches(pico)).isTrue();
        assertThat(bySerial.score()).as("a row the user wrote outranks built-in ones").isEqualTo(200);
        assertThat(bySerial.describe()).isEqualTo("2e8a:000a serial 'E6614C31*'");
        assertThat(byPort.matches(pico)).isTrue();
        assertThat(byPort.matches(pico.at("1-1.3", 6))).isFalse();
        assertThat(byPort.score()).isEqualTo(DriverFile.SCORE);
        assertThat(DriverFile.match("x", Map.of("match.vid", "1234", "match.score", "150")).orElseThrow()
                .score()).isEqualTo(150);
        assertThat(DriverFile.match("x", Map.of("baud", "9600"))).isEmpty();
        assertThatThrownBy(() -> DriverFile.match("x", Map.of("match.vid", "nope")))
                .hasMessage("match.vid=nope is not a hex number up to ffff");
    }

    @Test
    void aConfiguredDriverIsNamedAfterItsFile() {
        assertThat(DriverFile.driverName("org.usblogd.hid", "file:/etc/usblogd/org.usblogd.hid-thermo.cfg",
                null)).isEqualTo("hid/thermo");
        assertThat(DriverFile.driverName("org.usblogd.hid", "org.usblogd.hid-thermo.cfg", "attic"))
                .isEqualTo("attic");
        assertThat(DriverFile.driverName("org.usblogd.serial", null, null)).isEqualTo("serial");
    }

    @Test
    void aFileThatNamesNoDeviceOrAWrongOneIsOneLineNamingTheFile() {
        Map<String, Object> noDevice = Map.of("felix.fileinstall.filename", "file:/etc/usblogd/org.usblogd.hid-x.cfg");
        assertThatThrownBy(() -> DriverFile.row("org.usblogd.hid", noDevice, "match.vid and match.pid"))
                .hasMessage("/etc/usblogd/org.usblogd.hid-x.cfg: name the device with match.vid and match.pid");
        DeviceMatch row = DriverFile.row("org.usblogd.hid", Map.of("felix.fileinstall.filename",
                "file:/etc/usblogd/org.usblogd.hid-x.cfg", "match.vid", "1209", "match.pid", "c0de"), "");
        assertThat(row.driver()).isEqualTo("hid/x");
        assertThat(DriverFile.KEYS).contains("match.vid", "match.port", "name");
    }
}
