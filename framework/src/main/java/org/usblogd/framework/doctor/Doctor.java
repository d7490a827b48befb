package org.usblogd.framework.doctor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.usb.UsbDeviceInfo;

/**
 * {@code usblogd doctor}: what usblogd would do on this machine and what stands in its way. It lists the USB
 * devices the kernel sees, which driver would take each and why, the kernel drivers bound to them, whether
 * the daemon's user may open them (by their owner, group and ACL, with the exact fix when not), and whether
 * hotplug events arrive.
 */
public final class Doctor {
    /** Where a machine keeps what the doctor reads; tests point these at an emulated one. */
    public record Paths(Path sysBusUsbDevices, Path devBusUsb, Path udevControl, Path etcUdevRules) {
        public static final Paths REAL = new Paths(Path.of("/sys/bus/usb/devices"), Path.of("/dev/bus/usb"),
                Path.of("/run/udev/control"), Path.of("/etc/udev/rules.d"));
    }

    /** The group the udev rules grant, as the package creates it. */
    private static final String GROUP = "usblogd";

    private final Path plugins;
    private final Path conf;
    private final String userName;
    private final Paths paths;
    private final PrintStream out;
    private final Getfacl getfacl;
    private int problems;

    public Doctor(Path plugins, Path conf, String userName, Paths paths, PrintStream out) {
        this(plugins, conf, userName, paths, out, new Getfacl());
    }

    Doctor(Path plugins, Path conf, String userName, Paths paths, PrintStream out, Getfacl getfacl) {
        this.getfacl = getfacl;
        this.plugins = plugins;
        this.conf = conf;
        this.userName = userName;
        this.paths = paths;
        this.out = out;
    }

    /** Prints the diagnosis; returns how many problems it found. */
    public int run() throws IOException {
        boolean udevd = Files.exists(paths.udevControl());
        out.println("hotplug: " + (udevd
                ? "udevd runs (" + paths.udevControl() + "): devices are noticed the moment they arrive, and udev"
                        + " rules apply"
                : "no udevd (" + paths.udevControl() + " is missing): usblogd follows arrivals by watching "
                        + paths.sysBusUsbDevices() + " (hotplug = auto) and opens each new device in a libusb context"
                        + " of its own, so devices already logging are not interrupted; no udev rule sets"
                        + " permissions here"));
        if (!udevd) {
            out.println("  for libusb's own hotplug in a container instead, give the daemon the host's udev events:"
                    + " bind-mount the host's /run/udev (e.g. -v /run/udev:/run/udev:ro) and share the host's network"
                    + " namespace (--network host): udevd's events are netlink messages, which stay in the"
                    + " host's network namespace");
        }

        List<PluginTables.Plugin> tables = PluginTables.read(plugins);
        out.println("plugins in " + plugins + ":" + (tables.isEmpty() ? " none (no device will be logged)" : ""));
        for (PluginTables.Plugin p : tables) {
            out.println("  " + p.jar().getFileName() + (p.bundle() == null ? "" : "  " + p.bundle()));
            p.rows().forEach(r -> out.println("    " + r.driver() + ": " + r.describe() + " (score " + r.score() + ")"));
            if (p.rows().isEmpty() && p.problems().isEmpty()) {
                out.println("    no match table: matches in code, so it cannot be explained here");
            }
            p.problems().forEach(this::problem);
        }
        ConfigFileEncoding.problems(conf).forEach(this::problem);
        List<PluginTables.Plugin> configured = PluginTables.readConfigured(conf);
        if (!configured.isEmpty()) {
            out.println("drivers configured in " + conf + ":");
            for (PluginTables.Plugin p : configured) {
                out.println("  " + p.jar().getFileName());
                p.rows().forEach(r -> out.println("    " + r.driver() + ": " + r.describe() + " (score " + r.score() + ")"));
                p.problems().forEach(this::problem);
            }
        }
        List<DeviceMatch> rows = new java.util.ArrayList<>(PluginTables.rows(tables));
        rows.addAll(PluginTables.rows(configured));

        Optional<DaemonUser> user = DaemonUser.lookup(userName);
        if (user.isEmpty()) {
            problem("no user '" + userName + "' on this system; the package creates it"
                    + " (useradd --system --user-group --home-dir /var/lib/usblogd --shell /usr/sbin/nologin usblogd)");
        } else {
            out.println("daemon user: " + userName + " (groups " + String.join(" ", user.get().groups()) + ")");
        }
        if (!getfacl.installed()) {
            problem("getfacl is missing, so access below is judged from owner, group and mode, not from the ACL"
                    + " entries the udev rules grant; the rules' setfacl is missing too. Fix: apt-get install acl");
        }

        List<SysfsUsb.Device> devices = SysfsUsb.list(paths.sysBusUsbDevices(), paths.devBusUsb());
        out.println("USB devices (" + devices.size() + "):");
        for (SysfsUsb.Device d : devices) {
            device(d, rows, user, udevd);
        }
        out.println(problems == 0 ? "no problems found" : problems + " problem(s) found");
        return problems;
    }

    private void device(SysfsUsb.Device d, List<DeviceMatch> rows, Optional<DaemonUser> user, boolean udevd)
            throws IOException {
        UsbDeviceInfo info = d.info();
        out.println("  " + info.portPath() + "  " + info.vidPid() + "  " + name(info) + "  " + d.node());
        for (SysfsUsb.Interface i : d.interfaces()) {
            out.println(String.format("    interface %d: class %02x/%02x/%02x, kernel driver %s", i.info().number(),
                    i.info().interfaceClass(), i.info().interfaceSubClass(), i.info().interfaceProtocol(),
                    i.kernelDriver() == null ? "none" : i.kernelDriver()
                            + " (usblogd detaches it while logging and gives the interface back after)"));
        }
        Optional<DeviceMatch> best = DeviceMatch.best(rows, info);
        if (best.isEmpty()) {
            out.println("    driver: none; no row of the installed plugins matches, so usblogd leaves it alone");
            return;
        }
        DeviceMatch m = best.get();
        out.println("    driver: " + m.driver() + " (score " + m.score() + ": " + m.describe() + ")");
        if (user.isEmpty()) {
            return;
        }
        DaemonUser.Verdict v = user.get().access(d.node(), getfacl);
        if (v.ok()) {
            out.println("    access: " + v.detail());
            return;
        }
        problem(d.node() + ": " + v.detail() + ". Fix: " + fix(d, user.get(), udevd));
    }

    private String fix(SysfsUsb.Device d, DaemonUser user, boolean udevd) {
        String join = user.groups().contains(GROUP) ? ""
                : "add the user to it: usermod -a -G " + GROUP + " " + user.name();
        if (!udevd) {
            return "without udevd nothing sets permissions on plug-in; until it runs: setfacl -m g:" + GROUP + ":rw "
                    + d.node() + " (lost when the device is plugged in again)"
                    + (join.isEmpty() ? "" : "; the entry is for the group " + GROUP + ", " + join);
        }
        if (!join.isEmpty()) {
            return "the rules grant the group " + GROUP + "; " + join;
        }
        Path rules = paths.etcUdevRules().resolve(UdevRules.FILE_NAME);
        return "usblogd udev-rules > " + rules + " && udevadm control --reload && udevadm trigger"
                + " --subsystem-match=usb --action=change";
    }

    private static String name(UsbDeviceInfo info) {
        String s = (info.manufacturer() == null ? "" : info.manufacturer() + " ")
                + (info.product() == null ? "" : info.product());
        return (s.isBlank() ? "(no strings)" : s.strip())
                + (info.serialNumber() == null ? "" : ", serial " + info.serialNumber());
    }

    private void problem(String text) {
        problems++;
        out.println("  PROBLEM: " + text);
    }
}
