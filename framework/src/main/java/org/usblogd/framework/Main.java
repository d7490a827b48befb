package org.usblogd.framework;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code usblogd run | export | devices | udev-rules | doctor | help}: see {@link UsblogdCommand}. */
public final class Main {
    /** What a command line that cannot be understood ends with. */
    static final int USAGE_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        chooseLogFormat(System.getenv());
        System.exit(run(args, System.getenv(), new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new UsblogdCommand(home(), env, out, err));
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler((e, a) -> usageError(e, err));
        int status = cli.execute(args);
        cli.getOut().flush();
        out.flush();
        return status;
    }

    /** One line saying what is wrong, one saying where the usage is; no usage dump, no stack trace. */
    private static int usageError(ParameterException e, PrintStream err) {
        CommandLine c = e.getCommandLine();
        String what = e.getMessage();
        String hint = "see '" + c.getCommandSpec().qualifiedName() + " --help'";
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            what = first.startsWith("-") ? "unknown option '" + first + "'"
                    : c.getCommandSpec().parent() == null ? "unknown command '" + first + "'"
                    : "unexpected argument '" + first + "'";
            List<String> close = u.getSuggestions();
            if (!close.isEmpty()) {
                hint = "did you mean " + String.join(" or ", close) + "? " + hint;
            }
        }
        err.println("usblogd: " + lowerFirst(what));
        err.println(hint);
        err.flush();
        return USAGE_ERROR;
    }

    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1)
                : s;
    }

    /**
     * journald's form when systemd connected stdout to the journal (it sets JOURNAL_STREAM) or when asked
     * with USBLOGD_LOG_FORMAT; read by LogSetup, so it must be set before the first logger exists.
     */
    static void chooseLogFormat(Map<String, String> env) {
        if (System.getProperty("usblogd.log.format") != null) {
            return;
        }
        String asked = env.get("USBLOGD_LOG_FORMAT");
        if (asked != null && !asked.isBlank()) {
            System.setProperty("usblogd.log.format", "journald".equals(asked.strip()) ? "journald" : "human");
        } else if (env.containsKey("JOURNAL_STREAM")) {
            System.setProperty("usblogd.log.format", "journald");
        }
    }

    /** The installation directory: -Dusblogd.home, else the parent of the directory holding this jar. */
    static Path home() {
        String h = System.getProperty("usblogd.home");
        if (h != null && !h.isBlank()) {
            return Path.of(h).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(".").toAbsolutePath().normalize();
        }
    }
}
