package org.usblogd.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command line is read: where --state may go, help, and what a usage error looks like. */
class CommandLineTest {
    @TempDir
    Path state;

    private record Run(int exit, String out, String err) {
    }

    private static Run usblogd(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run usblogd(String... args) {
        return usblogd(Map.of(), args);
    }

    @Test
    void theStateDirectoryComesFromTheOptionOnEitherSideOfTheCommandElseFromTheEnvironment() {
        String said = "no database in " + state + " yet";
        for (Run r : List.of(usblogd("--state", state.toString(), "devices"), usblogd("devices", "--state", state.toString()),
                usblogd("--state=" + state, "devices"), usblogd(Map.of("USBLOGD_STATE", state.toString()), "devices"),
                usblogd(Map.of("USBLOGD_STATE", "/nonexistent"), "devices", "--state", state.toString()))) {
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.err()).as("%s", r).contains(said);
        }
    }

    @Test
    void everyCommandHasHelpAndNoCommandIsAUsageError() {
        for (String command : List.of("run", "status", "export", "devices", "events", "check", "udev-rules",
                "doctor", "allow-outputs")) {
            Run r = usblogd(command, "--help");
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).startsWith("Usage: usblogd " + command + " ");
        }
        Run none = usblogd("--state", state.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("usblogd: no command given: run, status, export, devices, events, check,"
                + " udev-rules, doctor, allow-outputs or help\nsee 'usblogd --help'\n");
    }

    @Test
    void aUsageErrorIsOneLineThenAHintWithCloseMatches() {
        Run typo = usblogd("export", "--devise", "x", "--state", state.toString());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err()).isEqualTo("usblogd: unknown option '--devise'\n"
                + "did you mean --device? see 'usblogd export --help'\n");

        Run command = usblogd("expotr");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).startsWith("usblogd: unknown command 'expotr'\n").contains("see 'usblogd --help'");

        Run time = usblogd("export", "--to", "noon", "--state", state.toString());
        assertThat(time.exit()).isEqualTo(2);
        assertThat(time.err()).startsWith("usblogd: invalid value for option '--to': 'noon' is not a time (")
                .endsWith("\nsee 'usblogd export --help'\n").hasLineCount(2);
    }
}
