package org.usblogd.framework;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.usblogd.framework.allow.OutputAddresses;
import org.usblogd.framework.allow.Systemctl;
import org.usblogd.framework.allow.UnitAllowList;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code usblogd allow-outputs}: see {@link OutputAddresses}. The unit usblogd-outputs.service runs it as root
 * with --apply, before the daemon starts and whenever /etc/usblogd changes.
 */
@Command(name = "allow-outputs", description = { "Resolve the hosts of every output (conf/org.usblogd.output-NAME.cfg)"
        + " and print the IPAddressAllow= list the service needs to reach them, with the name servers; with --apply"
        + " set it on the service (systemctl set-property --runtime; as root), which applies at once.",
        "Exit status 1 when a file, url or host was left out (the rest is still allowed) or systemctl failed." })
final class AllowOutputsCommand implements Callable<Integer> {
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--conf", paramLabel = "DIR", description = "the configuration to read; default: conf/ in the"
            + " installation")
    Path conf;

    @Option(names = "--apply", description = "set the list on the unit, keeping the entries of its own files and"
            + " drop-ins (systemctl edit)")
    boolean apply;

    @Option(names = "--unit", paramLabel = "NAME", defaultValue = "usblogd.service",
            description = "the daemon's unit; default: ${DEFAULT-VALUE}")
    String unit;

    @Override
    public Integer call() {
        Path dir = (conf == null ? usblogd.home.resolve("conf") : conf).toAbsolutePath().normalize();
        OutputAddresses.Result result;
        try {
            result = new OutputAddresses(InetAddress::getAllByName, RESOLV_CONF).compute(dir);
        } catch (IOException e) {
            usblogd.err.println("usblogd: cannot read the outputs in " + dir + ": " + e.getMessage());
            return 1;
        }
        result.said().forEach(usblogd.out::println);
        result.problems().forEach(p -> usblogd.err.println("usblogd: " + p));
        int status = result.problems().isEmpty() ? 0 : 1;
        if (!apply) {
            usblogd.out.println("IPAddressAllow=" + String.join(" ", result.allow()));
            return status;
        }
        try {
            return apply(result.allow()) ? status : 1;
        } catch (IOException e) {
            usblogd.err.println("usblogd: cannot set IPAddressAllow= on " + unit + ": " + e.getMessage()
                    + "; it stays as it was");
            return 1;
        }
    }

    private boolean apply(List<String> outputs) throws IOException {
        Systemctl systemctl = new Systemctl("systemctl");
        Systemctl.Result show = systemctl.run(List.of("show", "-p", "FragmentPath", "-p", "DropInPaths", unit));
        if (show.exit() != 0) {
            throw new IOException("systemctl show says " + show.out().strip());
        }
        List<String> kept = UnitAllowList.read(UnitAllowList.files(show.out()));
        Set<String> allow = new LinkedHashSet<>(List.of(OutputAddresses.LOCALHOST));
        allow.addAll(kept);
        allow.addAll(outputs);
        List<String> args = new ArrayList<>(List.of("set-property", "--runtime", unit, "IPAddressAllow="));
        allow.forEach(a -> args.add("IPAddressAllow=" + a));
        Systemctl.Result set = systemctl.run(args);
        if (set.exit() != 0) {
            usblogd.err.println("usblogd: systemctl set-property on " + unit + " failed (" + set.out().strip()
                    + "); its IPAddressAllow= stays as it was");
            return false;
        }
        List<String> own = kept.stream().filter(k -> !outputs.contains(k)).toList();
        if (!own.isEmpty()) {
            usblogd.out.println("kept from " + unit + "'s files: " + String.join(" ", own));
        }
        usblogd.out.println("IPAddressAllow=" + String.join(" ", allow) + " set on " + unit);
        return true;
    }
}
