package org.usblogd.serial;

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

/** A serial .cfg as FileInstall hands it to the driver: every value a string, the file's URL beside them. */
class LineDriverConfigTest {
    private static final String FILE = "/etc/usblogd/org.usblogd.serial-pico.cfg";
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(LineDriver.class);

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
        Map<String, Object> p = new HashMap<>(Map.of("felix.fileinstall.filename", "file:" + FILE,
                "service.factoryPid", LineDriver.PID, "component.name", LineDriver.class.getName(), "match.vid",
                "2e8a", "match.pid", "000a", "format", "keyvalue", "channel.T.unit", "°C"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private List<String> lines() {
        return logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void dtrYesIsRefusedInOneLineNamingTheFileTheKeyAndWhatItTakesRatherThanMeaningFalse() {
        LineDriver refused = new LineDriver(file("dtr", "yes"));
        assertThat(lines()).containsExactly("ERROR " + FILE + ": dtr = yes is not valid: expected true or false;"
                + " no device is taken by this file until it is corrected");
        assertThat(refused.configuredMatches()).as("takes no device").isEmpty();
        assertThat(new LineDriver(file("dtr", "FALSE")).line().dtr()).isFalse();
    }

    @Test
    void aMisspeltKeyIsOneWarningNamingTheNearestKnownKey() {
        LineDriver d = new LineDriver(file("paritty", "even"));

        assertThat(lines()).containsExactly(
                "WARN " + FILE + ": unknown key paritty = even is ignored (the nearest known key is parity)");
        assertThat(d.line().parity()).isEqualTo(LineSettings.Parity.NONE);
    }

    @Test
    void aBadEditOfARunningDriverIsOneLineAndTheDriverKeepsItsLastGoodSettings() {
        LineDriver d = new LineDriver(file("baud", "9600"));

        d.modified(file("baud", "96OO"));
        assertThat(lines()).containsExactly("ERROR " + FILE + ": baud = 96OO is not valid: expected a whole number"
                + " from 50 to 12000000; the driver serial/pico keeps running on the file's last good content");
        assertThat(d.line().baud()).isEqualTo(9600);

        d.modified(file("baud", "1200"));
        assertThat(lines().get(1)).contains("baud = 1200 is refused");
        assertThat(d.line().baud()).isEqualTo(9600);

        d.modified(file("baud", "19200"));
        assertThat(d.line().baud()).as("a good edit applies").isEqualTo(19200);
        assertThat(lines()).hasSize(2);
    }

    @Test
    void everyKeyOfTheShippedExamplesIsKnown() {
        new LineDriver(file("baud", "115200", "data.bits", "8", "parity", "none", "stop.bits", "1", "dtr", "true",
                "rts", "true", "chip", "auto", "max.line", "256", "channel.T.min", "-40", "channel.T.max", "80",
                "match.serial", "E66*", "name", "pico"));

        assertThat(lines()).isEmpty();
    }
}
