package org.usblogd.hid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.usblogd.api.config.ConfigRules;
import org.usblogd.api.config.ConfigTrial;

/** What {@code usblogd check} says about a HID device's file, by the rules the HID logger applies. */
class HidConfigRulesTest {
    private static final String FILE = "/etc/usblogd/org.usblogd.hid-diy.cfg";
    private final HidConfigRules rules = new HidConfigRules();

    /** The demo's DIY weather sensor: report 1, temperature (signed, 0.01 °C), pressure (big endian), battery. */
    private static Map<String, Object> file(String... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.ofEntries(Map.entry("felix.fileinstall.filename", "file:" + FILE),
                Map.entry("match.vid", "1209"), Map.entry("match.pid", "c0de"), Map.entry("report.id", "1"),
                Map.entry("field.temperature.offset", "1"), Map.entry("field.temperature.length", "2"),
                Map.entry("field.temperature.signed", "true"), Map.entry("field.temperature.scale", "0.01"),
                Map.entry("field.temperature.unit", "°C"), Map.entry("field.temperature.min", "-40"),
                Map.entry("field.temperature.max", "85"), Map.entry("field.pressure.offset", "3"),
                Map.entry("field.pressure.length", "2"), Map.entry("field.pressure.endian", "big"),
                Map.entry("field.pressure.scale", "0.1"), Map.entry("field.pressure.unit", "hPa"),
                Map.entry("field.battery.offset", "5"), Map.entry("field.battery.unit", "%")));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private ConfigTrial report(String hex) {
        return rules.trial(file(), ConfigRules.REPORT, hex);
    }

    @Test
    void theBundleDeclaresItsRulesForTheCommandLineToFind() {
        assertThat(ServiceLoader.load(ConfigRules.class).stream().map(p -> p.type().getName()))
                .contains(HidConfigRules.class.getName());
        assertThat(rules.pid()).isEqualTo(HidLoggerDriver.PID);
        assertThat(rules.trialInputs()).containsExactly(ConfigRules.REPORT);
    }

    @Test
    void aRightFileHasNoProblemAndNamesItsDevice() {
        assertThat(rules.problems(file())).isEmpty();
        assertThat(rules.selection(file()).orElseThrow().describe()).isEqualTo("driver hid/diy: 1209:c0de (score 200)");
    }

    @Test
    void eachMistakeIsALineNamingTheFileAndTheKey() {
        assertThat(rules.problems(file("interface.number", "300", "repot.id", "2"))).containsExactly(
                FILE + ": interface.number = 300 is not valid: expected a whole number from 0 to 255",
                FILE + ": unknown key repot.id = 2 is ignored (the nearest known key is report.id)");
        assertThat(rules.problems(file("field.battery.signed", "yes"))).containsExactly(
                FILE + ": field.battery.signed=yes: true or false");
        assertThat(rules.problems(file("field.battery.length", "9"))).containsExactly(
                FILE + ": field.battery.length=9: a whole number from 1 to 8");
        assertThat(rules.problems(file("endpoint", "0x181"))).containsExactly(
                FILE + ": endpoint = 0x181: a byte, 0 to 255 or 0x00 to 0xff");
    }

    @Test
    void aReportGivesEachFieldWithItsUnitInAnyHexSpelling() {
        List<ConfigTrial.Sample> expected = List.of(new ConfigTrial.Sample("battery", 75, "%"),
                new ConfigTrial.Sample("pressure", 1013.2, "hPa"), new ConfigTrial.Sample("temperature", 20.58, "°C"));
        for (String hex : List.of("01 0a 08 27 94 4b", "010A0827944B", "01:0a:08:27:94:4b", "0x01,0x0a,0x08,0x27,0x94,0x4b")) {
            ConfigTrial t = report(hex);
            assertThat(t.samples()).as(hex).containsExactlyElementsOf(expected);
            assertThat(t.dropped()).as(hex).isEmpty();
        }
    }

    @Test
    void aShortReportOrAnotherReportIdGivesNothingAndSaysWhy() {
        assertThat(report("01 0a 08").unread()).startsWith("the report has 3 byte(s); the fields need 6");
        assertThat(report("01 0a 08").samples()).isEmpty();
        assertThat(report("02 0a 08 27 94 4b").unread()).startsWith("its report ID (first byte) is 0x02; report.id"
                + " keeps only 0x01");
    }

    @Test
    void garbageThatIsNoHexIsRefusedInOneLine() {
        for (String garbage : List.of("hello", "0", "01 0", "", "zz")) {
            assertThatThrownBy(() -> report(garbage)).as(garbage).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a report is hex bytes such as '01 0a 08 27'");
        }
    }

    @Test
    void impossibleValuesAreDroppedWithTheirRangeAndTheRestKept() {
        // 0x7fff: a sensor's "no reading", 327.67 °C
        ConfigTrial t = report("01 ff 7f 27 94 4b");

        assertThat(t.samples()).extracting(ConfigTrial.Sample::channel).containsExactly("battery", "pressure");
        assertThat(t.dropped()).containsExactly("temperature 327.67 °C (configured: -40 to 85)");
    }
}
