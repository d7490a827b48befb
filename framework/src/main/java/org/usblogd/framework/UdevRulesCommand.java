package org.usblogd.framework;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.usblogd.framework.doctor.PluginTables;
import org.usblogd.framework.doctor.UdevRules;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd udev-rules}: udev rules giving a group access to the devices the installed drivers take. */
@Command(name = "udev-rules", description = "Print udev rules giving the group access to every device the"
        + " installed drivers (plugins/ and the drivers configured in conf/) take.")
final class UdevRulesCommand implements Callable<Integer> {
    @ParentCommand
    UsblogdCommand usblogd;

    @Option(names = "--group", paramLabel = "NAME", defaultValue = "usblogd", description = "default: ${DEFAULT-VALUE}")
    String group;

    @Option(names = "--plugins", paramLabel = "DIR", description = "the drivers to read; default: plugins/ in the"
            + " installation")
    Path plugins;

    @Override
    public Integer call() {
        Path dir = usblogd.plugins(plugins);
        try {
            // the installation's own plugins/ by its name, so that rules built into the package name no build path
            String source = plugins == null ? "the installation's plugins/" : dir.toString();
            List<PluginTables.Plugin> tables = new ArrayList<>(PluginTables.read(dir));
            tables.addAll(PluginTables.readConfigured(usblogd.home.resolve("conf")));
            usblogd.out.print(UdevRules.render(tables, group, source + " and the drivers configured in conf/"));
            return 0;
        } catch (IOException e) {
            usblogd.err.println("usblogd: cannot read the plugins in " + dir + ": " + e.getMessage());
            return 1;
        }
    }
}
