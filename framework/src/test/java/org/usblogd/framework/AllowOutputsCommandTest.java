package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usblogd allow-outputs} without --apply: what it prints, on files naming their servers by address. */
class AllowOutputsCommandTest {
    @TempDir
    Path conf;

    @Test
    void itPrintsALinePerOutputAndTheListAndEachProblemOnStderrWithExitStatus1() throws Exception {
        Files.writeString(conf.resolve("org.usblogd.output-central.cfg"),
                "type = postgresql\nurl = jdbc:postgresql://192.0.2.10:5432/loggers\n");
        Files.writeString(conf.resolve("org.usblogd.output-broker.cfg"), "type = mqtt\nurl = mqtt://[2001:db8::7]\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new String[] { "allow-outputs", "--conf", conf.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "output broker (" + conf.resolve("org.usblogd.output-broker.cfg") + "): 2001:db8::7 -> 2001:db8::7\n"
                        + "output central (" + conf.resolve("org.usblogd.output-central.cfg")
                        + "): 192.0.2.10 -> 192.0.2.10\n"
                        + "IPAddressAllow=localhost 2001:db8::7 192.0.2.10\n");

        Files.writeString(conf.resolve("org.usblogd.output-typo.cfg"), "type = mqtt\nurl = mqtt:/broker\n");
        out.reset();
        exit = Main.run(new String[] { "allow-outputs", "--conf", conf.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("IPAddressAllow=localhost 2001:db8::7 192.0.2.10\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usblogd: output typo ("
                + conf.resolve("org.usblogd.output-typo.cfg") + "): url = mqtt:/broker is not valid: expected ")
                .hasLineCount(1);
    }
}
