package org.usblogd.framework;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code usblogd}: what every command shares (the installation, the state directory, the output streams);
 * the commands themselves are its subcommands. Its attributes (help and version options) and --state are
 * inherited by every subcommand, so that they may be given before or after the command.
 */
@Command(name = "usblogd", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "USB data logger: runs the daemon, or reads what it stored.",
        subcommands = { RunCommand.class, StatusCommand.class, ExportCommand.class, DevicesCommand.class,
            EventsCommand.class, CheckCommand.class, UdevRulesCommand.class,
            DoctorCommand.class, AllowOutputsCommand.class, HelpCommand.class },
        footerHeading = "%n",
        footer = "Options may come before or after the command. Exit status: 0 done, 1 failed, 2 usage error"
                + " (status: 3 not running).")
final class UsblogdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state", paramLabel = "DIR", scope = ScopeType.INHERIT, description = "the state directory"
            + " (database, framework cache); default: $USBLOGD_STATE, else state/ in the installation")
    Path state;

    final Path home;
    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;

    UsblogdCommand(Path home, Map<String, String> env, PrintStream out, PrintStream err) {
        this.home = home;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "no command given: run, status, export, devices, events, check, udev-rules, doctor, allow-outputs"
                        + " or help");
    }

    /** --state, else USBLOGD_STATE, else state/ in the installation. */
    Path stateDirectory() {
        Path s = state;
        if (s == null) {
            String e = env.get("USBLOGD_STATE");
            s = e == null || e.isBlank() ? home.resolve("state") : Path.of(e);
        }
        return s.toAbsolutePath().normalize();
    }

    /** The plugins to read: {@code given}, else plugins/ in the installation. */
    Path plugins(Path given) {
        return (given == null ? home.resolve("plugins") : given).toAbsolutePath().normalize();
    }
}
