package org.usblogd.framework;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.usblogd.framework.doctor.Doctor;
import org.usblogd.framework.doctor.PluginTables;
import org.usblogd.framework.doctor.UdevRules;

/** {@code usblogd run | export | devices | udev-rules | doctor}: see {@link #USAGE}. */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: usblogd <command> [--state DIR]",
            "  run [--demo]          run the daemon in the foreground (--demo adds simulated devices)",
            "  export [--device ID] [--channel NAME] [--from ISO] [--to ISO] [--format csv|json]",
            "         [--tier raw|minute|hour]",
            "                        print stored samples, or per-minute / per-hour summaries (time in UTC)",
            "  devices               list known devices, whether attached, and their driver",
            "  udev-rules [--group NAME]  print udev rules giving the group (usblogd) access to every device",
            "                        the installed drivers take",
            "  doctor [--user NAME]  USB devices seen here, the driver each would get and why, kernel drivers,",
            "                        permission problems of the daemon's user (usblogd) with the fix, hotplug",
            "udev-rules and doctor read the drivers in --plugins DIR, else plugins/ in the installation.",
            "The state directory (database, cache) is --state DIR, else $USBLOGD_STATE, else state/ in the installation.");

    private Main() {
    }

    public static void main(String[] args) {
        chooseLogFormat(System.getenv());
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args);
            Path home = home();
            switch (o.command) {
            case "run":
                o.allow("demo");
                return new Daemon(home, o.stateDirectory(home), o.flag("demo")).runUntilStopped();
            case "export":
                o.allow("device", "channel", "from", "to", "format", "tier");
                return new ExportCommand(o.stateDirectory(home), out, err).run(o);
            case "devices":
                o.allow();
                return new DevicesCommand(o.stateDirectory(home), out, err).run();
            case "udev-rules":
                o.allow("group", "plugins");
                return udevRules(home, o.path("plugins", home.resolve("plugins")), o.getOr("group", "usblogd"), out,
                        err);
            case "doctor":
                o.allow("user", "plugins");
                return doctor(o.path("plugins", home.resolve("plugins")), home.resolve("conf"),
                        o.getOr("user", "usblogd"), out, err);
            case "help":
                out.println(USAGE);
                return 0;
            default:
                throw new Options.UsageException("unknown command '" + o.command + "'");
            }
        } catch (Options.UsageException e) {
            err.println("usblogd: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int udevRules(Path home, Path plugins, String group, PrintStream out, PrintStream err) {
        try {
            // the installation's own plugins/ by its name, so that rules built into the package name no build path
            String source = plugins.equals(home.resolve("plugins")) ? "the installation's plugins/" : plugins.toString();
            List<PluginTables.Plugin> tables = new ArrayList<>(PluginTables.read(plugins));
            tables.addAll(PluginTables.readConfigured(home.resolve("conf")));
            out.print(UdevRules.render(tables, group, source + " and the drivers configured in conf/"));
            return 0;
        } catch (IOException e) {
            err.println("usblogd: cannot read the plugins in " + plugins + ": " + e.getMessage());
            return 1;
        }
    }

    private static int doctor(Path plugins, Path conf, String user, PrintStream out, PrintStream err) {
        try {
            return new Doctor(plugins, conf, user, Doctor.Paths.REAL, out).run() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("usblogd: doctor could not finish: " + e.getMessage());
            return 1;
        }
    }

    /**
     * journald's form when systemd connected stdout to the journal (it sets JOURNAL_STREAM) or when asked
     * with USBLOGD_LOG_FORMAT; read by logback.xml, so it must be set before the first logger exists.
     */
    static void chooseLogFormat(java.util.Map<String, String> env) {
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
