package org.usblogd.hid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** A HID .cfg as FileInstall hands it to the driver: every value a string, the file's URL beside them. */
class HidLoggerDriverConfigTest {
    private static final String FILE = "/etc/usblogd/org.usblogd.hid-diy.cfg";
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HidLoggerDriver.class);

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    private static Map<String, Object> file(String... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("felix.fileinstall.filename", "file:" + FILE, "match.vid",
                "1209", "match.pid", "c0de", "field.t.offset", "1", "field.t.length", "2", "field.t.scale", "0.01"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private List<String> lines() {
        return logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    private static final String UNTIL_CORRECTED = "; no device is taken by this file until it is corrected";

    @Test
    void signedYesIsRefusedRatherThanMeaningUnsigned() {
        HidLoggerDriver d = new HidLoggerDriver(file("field.t.signed", "yes"));
        assertThat(lines()).containsExactly("ERROR " + FILE + ": field.t.signed=yes: true or false" + UNTIL_CORRECTED);
        assertThat(d.configuredMatches()).as("takes no device").isEmpty();
        assertThat(d.name()).isEqualTo("hid/diy");
    }

    @Test
    void aReportIdOrEndpointThatIsNoByteIsNamedNotANumberFormatException() {
        new HidLoggerDriver(file("report.id", "one"));
        new HidLoggerDriver(file("endpoint", "0x181"));
        assertThat(lines()).containsExactly(
                "ERROR " + FILE + ": report.id = one: a byte, 0 to 255 or 0x00 to 0xff" + UNTIL_CORRECTED,
                "ERROR " + FILE + ": endpoint = 0x181: a byte, 0 to 255 or 0x00 to 0xff" + UNTIL_CORRECTED);
    }

    @Test
    void aNewFileWithAMistakeTakesItsDeviceOnceCorrected() {
        HidLoggerDriver d = new HidLoggerDriver(file("interface.number", "x"));
        assertThat(d.configuredMatches()).isEmpty();
        d.modified(file());
        assertThat(d.configuredMatches()).singleElement().satisfies(m -> assertThat(m.toString()).contains("1209"));
        assertThat(lines()).hasSize(1);
    }

    @Test
    void aMisspeltKeyIsOneWarningAndABadEditKeepsTheLastGoodFields() {
        HidLoggerDriver d = new HidLoggerDriver(file("report.idd", "2"));
        assertThat(lines()).containsExactly(
                "WARN " + FILE + ": unknown key report.idd = 2 is ignored (the nearest known key is report.id)");

        d.modified(file("interface.number", "-1"));
        assertThat(lines().get(1)).isEqualTo("ERROR " + FILE + ": interface.number = -1 is not valid: expected a"
                + " whole number from 0 to 255; the driver hid/diy keeps running on the file's last good content");
        assertThat(d.name()).isEqualTo("hid/diy");
    }
}
