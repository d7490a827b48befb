package org.usblogd.framework;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import org.usblogd.api.store.DeviceRecord;
import org.usblogd.api.store.StoreException;
import org.usblogd.store.jdbc.SqlSampleStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code usblogd devices}: every device the logger has seen. */
@Command(name = "devices", description = { "List every device seen: attached or not, its driver and why, its sample"
        + " count.", "Works whether the daemon runs or not." })
final class DevicesCommand implements Callable<Integer> {
    private static final String ROW = "%-32s %-9s %-24s %-8s %-10s %-8s %10s  %-20s  %s%n";

    @ParentCommand
    UsblogdCommand usblogd;

    @Override
    public Integer call() {
        Path state = usblogd.stateDirectory();
        PrintStream out = usblogd.out;
        PrintStream err = usblogd.err;
        SqlSampleStore store;
        try {
            store = StoreAccess.open(state);
        } catch (java.io.IOException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        if (store == null) {
            err.println("usblogd: no database in " + state + " yet: no device has been seen");
            return 0;
        }
        List<DeviceRecord> devices;
        try {
            devices = store.devices();
        } catch (StoreException e) {
            err.println("usblogd: " + e.getMessage());
            return 1;
        }
        out.printf(ROW, "DEVICE", "VID:PID", "PRODUCT", "ATTACHED", "DRIVER", "BUS", "SAMPLES", "LAST SEEN (UTC)", "WHY");
        for (DeviceRecord d : devices) {
            out.printf(ROW, d.device(), d.vidPid(), d.product() == null ? "-" : d.product(), d.attached() ? "yes" : "no",
                    d.driver() == null ? "-" : d.driver(), d.backend() == null ? "-" : d.backend(), d.samples(),
                    d.lastSeen().truncatedTo(ChronoUnit.SECONDS), d.binding() == null ? "-" : d.binding());
        }
        return 0;
    }
}
