package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.usblogd.api.config.ConfigRules;
import org.usblogd.framework.check.ConfigReport;
import org.usblogd.framework.check.InstalledRules;
import org.usblogd.framework.doctor.Doctor;
import org.usblogd.framework.doctor.PluginTables;
import org.usblogd.framework.doctor.SysfsUsb;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd check}: see {@link ConfigReport}. */
@Command(name = "check", description = { "Check every .cfg file of conf/ by the rules the daemon applies, list the"
        + " attached USB devices each file would apply to and files about the same devices, and show the samples"
        + " a line (serial) or report (HID) would give.", "Exit status 1 when anything is wrong." })
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--conf", paramLabel = "DIR", description = "the configuration to check (may be repeated);"
            + " default: conf/ in the installation")
    List<Path> conf = new ArrayList<>();

    @Option(names = "--demo", description = "also demo/conf/, as 'run --demo' reads it")
    boolean demo;

    @Option(names = "--plugins", paramLabel = "DIR", description = "the drivers whose rules apply; default:"
            + " plugins/ in the installation")
    Path plugins;

    @ArgGroup(exclusive = true)
    Input input;

    static final class Input {
        @Option(names = "--line", paramLabel = "TEXT", description = "a line as a serial device prints it"
                + " ('T=21.5,H=45'): the samples each serial file would record from it")
        String line;

        @Option(names = "--report", paramLabel = "HEX", description = "a HID input report in hex ('01 0a 08 27 94"
                + " 4b'): the samples each HID file would record from it")
        String report;
    }

    @Override
    public Integer call() {
        List<Path> dirs = new ArrayList<>(conf.isEmpty() ? List.of(usblogd.home.resolve("conf")) : conf);
        if (demo && Files.isDirectory(usblogd.home.resolve("demo/conf"))) {
            dirs.add(usblogd.home.resolve("demo/conf"));
        }
        dirs.replaceAll(d -> d.toAbsolutePath().normalize());
        Optional<ConfigReport.Trial> trial = input == null ? Optional.empty()
                : Optional.of(input.line != null ? new ConfigReport.Trial(ConfigRules.LINE, input.line)
                        : new ConfigReport.Trial(ConfigRules.REPORT, input.report));
        try (InstalledRules rules = new InstalledRules(List.of(usblogd.home.resolve("bundles"),
                usblogd.plugins(plugins)), PluginTables.settings(PluginTables.read(usblogd.plugins(plugins))))) {
            List<org.usblogd.api.usb.UsbDeviceInfo> attached = SysfsUsb.list(Doctor.Paths.REAL.sysBusUsbDevices(),
                    Doctor.Paths.REAL.devBusUsb()).stream().map(SysfsUsb.Device::info).toList();
            return new ConfigReport(rules, attached, usblogd.out).run(dirs, trial) == 0 ? 0 : 1;
        } catch (IOException e) {
            usblogd.err.println("usblogd: check could not finish: " + e.getMessage());
            return 1;
        }
    }
}
