package org.usblogd.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigSelection;
import org.usblogd.api.config.ConfigTrial;
import org.usblogd.api.usb.UsbDeviceInfo;

/** What {@code usblogd check} says about a serial device's file, by the rules the line driver applies. */
class SerialConfigRulesTest {
    private static final String FILE = "/etc/usblogd/org.usblogd.serial-pico.cfg";
    private final SerialConfigRules rules = new SerialConfigRules();

    private static Map<String, Object> file(String... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("felix.fileinstall.filename", "file:" + FILE, "match.vid",
                "2e8a", "match.pid", "000a", "format", "keyvalue", "channel.T.unit", "°C", "channel.H.unit", "%RH",
                "channel.T.min", "-40", "channel.T.max", "85"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private ConfigTrial line(Map<String, Object> file, String line) {
        return rules.trial(file, ConfigRules.LINE, line);
    }

    @Test
    void theBundleDeclaresItsRulesForTheCommandLineToFind() {
        assertThat(ServiceLoader.load(ConfigRules.class).stream().map(p -> p.type().getName()))
                .contains(SerialConfigRules.class.getName());
        assertThat(rules.pid()).isEqualTo(LineDriver.PID);
        assertThat(rules.factory()).isTrue();
        assertThat(rules.trialInputs()).containsExactly(ConfigRules.LINE);
    }

    @Test
    void aRightFileHasNoProblem() {
        assertThat(rules.problems(file())).isEmpty();
    }

    @Test
    void eachWrongValueAndMisspeltKeyIsALineNamingTheFileTheKeyTheValueAndWhatItTakes() {
        assertThat(rules.problems(file("dtr", "yes", "paritty", "even", "baud", "fast"))).containsExactly(
                FILE + ": baud = fast is not valid: expected a whole number from 50 to 12000000",
                FILE + ": dtr = yes is not valid: expected true or false",
                FILE + ": unknown key paritty = even is ignored (the nearest known key is parity)");
    }

    @Test
    void whatTheLineSettingsAndTheFormatRefuseIsALineNamingTheFileToo() {
        assertThat(rules.problems(file("baud", "1200"))).singleElement().asString()
                .startsWith(FILE + ": baud = 1200 is refused: opening an Arduino or Raspberry Pi Pico at 1200 baud");
        assertThat(rules.problems(file("format", "csv"))).containsExactly(
                FILE + ": format = csv needs csv.columns (names in order, - to skip)");
        assertThat(rules.problems(file("channel.X.min", "0"))).containsExactly(
                FILE + ": channel.X.min: the format has no channel X");
        Map<String, Object> noDevice = file();
        noDevice.remove("match.vid");
        noDevice.remove("match.pid");
        assertThat(rules.problems(noDevice)).containsExactly(
                FILE + ": name the device with match.vid and match.pid, match.serial or match.port");
    }

    @Test
    void aLineGivesEachValueWithItsUnit() {
        ConfigTrial t = line(file(), "T=21.5,H=45");

        assertThat(t.samples()).containsExactly(new ConfigTrial.Sample("T", 21.5, "°C"),
                new ConfigTrial.Sample("H", 45, "%RH"));
        assertThat(t.dropped()).isEmpty();
        assertThat(t.unread()).isNull();
    }

    @Test
    void garbageGivesNothingAndSaysWhy() {
        for (String garbage : List.of("", "hello", "\u0000\u00ff\ufffd", "T=", "=21.5")) {
            ConfigTrial t = line(file(), garbage);
            assertThat(t.samples()).as(garbage).isEmpty();
            assertThat(t.unread()).as(garbage).startsWith("the line holds no value in this file's format");
        }
    }

    @Test
    void aLineLongerThanMaxLineIsCutOffAsTheDriverDoes() {
        ConfigTrial t = line(file("max.line", "16"), "T=21.5 H=45 debug xxxxxxxxxxxxxxxx");

        assertThat(t.samples()).isEmpty();
        assertThat(t.unread()).isEqualTo("the line is longer than max.line (16 bytes): the driver cuts it off and"
                + " counts it (serial.line-cut events)");
        assertThat(line(file("max.line", "16"), "T=21.5 H=45\r").samples()).hasSize(2);
    }

    @Test
    void aShortCsvLineGivesTheColumnsItHas() {
        Map<String, Object> csv = file("format", "csv", "csv.columns", "T, -, H");

        assertThat(line(csv, "21.5").samples()).containsExactly(new ConfigTrial.Sample("T", 21.5, "°C"));
        assertThat(line(csv, "21.5,x,45").samples()).containsExactly(new ConfigTrial.Sample("T", 21.5, "°C"),
                new ConfigTrial.Sample("H", 45, "%RH"));
    }

    @Test
    void impossibleValuesAreDroppedWithTheirReasonAndTheRestKept() {
        ConfigTrial t = line(file(), "T=120 H=nan");

        assertThat(t.samples()).isEmpty();
        assertThat(t.dropped()).containsExactly("T 120.0 (configured: -40 to 85)", "H NaN");
        assertThat(t.unread()).isNull();
        assertThat(line(file(), "T=-41 H=40").samples()).containsExactly(new ConfigTrial.Sample("H", 40, "%RH"));
    }

    @Test
    void aTrialNeedsALine() {
        assertThatThrownBy(() -> rules.trial(file(), ConfigRules.REPORT, "01")).isInstanceOf(
                IllegalArgumentException.class).hasMessage("a serial device's file reads lines, not a report");
    }

    @Test
    void twoFilesForTheSameAdapterOverlapAndOneNarrowedByPortStillOverlapsTheGeneralOne() {
        ConfigSelection pico = rules.selection(file()).orElseThrow();
        ConfigSelection again = rules.selection(file("felix.fileinstall.filename",
                "file:/etc/usblogd/org.usblogd.serial-other.cfg")).orElseThrow();
        ConfigSelection byPort = rules.selection(file("match.port", "1-4")).orElseThrow();
        ConfigSelection ftdi = rules.selection(file("match.vid", "0403", "match.pid", "6001")).orElseThrow();

        assertThat(pico.describe()).isEqualTo("driver serial/pico: 2e8a:000a (score 200)");
        assertThat(pico.overlaps(again)).isTrue();
        assertThat(byPort.overlaps(pico)).isTrue();
        assertThat(pico.overlaps(ftdi)).isFalse();
        UsbDeviceInfo board = new UsbDeviceInfo(0x2e8a, 0x000a, 0x100, 0xef, 2, 1, "Raspberry Pi", "Pico",
                "E6614C311B7A2F2B", "1-4", 5, List.of());
        assertThat(pico.matches(board)).isTrue();
        assertThat(ftdi.matches(board)).isFalse();
    }

    @Test
    void aFileWithAWrongValueStillSaysWhichDevicesItNames() {
        assertThat(rules.selection(file("dtr", "yes"))).isPresent();
    }
}
