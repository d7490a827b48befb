package org.usblogd.framework.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.usblogd.api.driver.DeviceMatch;

/**
 * udev rules that give a group read and write access to the USB device nodes the plugins' match rows
 * select. A row becomes one rule on the usb_device: IDs and strings as ATTR matches, a class as either the
 * device class or one of the interface classes usb_id lists in ID_USB_INTERFACES (":ccsspp:" entries).
 * <p>
 * The access is an ACL entry for the group, added by setfacl once udev has set the node's owner, group and
 * mode: those stay as the other rules made them, so a group such as plugdev and the seat's user (uaccess,
 * itself an ACL entry) keep their access. A GROUP= and MODE= here would take the device from them.
 */
public final class UdevRules {
    /** After 60-... (usb_id sets ID_USB_INTERFACES in 50-udev-default.rules) and before 73-seat-late. */
    public static final String FILE_NAME = "70-usblogd.rules";
    /** Debian's acl package, a dependency of the .deb; udev runs programs by absolute path only. */
    static final String SETFACL = "/usr/bin/setfacl";

    private UdevRules() {
    }

    public static String render(List<PluginTables.Plugin> plugins, String group, String source) {
        StringBuilder out = new StringBuilder()
                .append("# usblogd: read and write access for the group '").append(group)
                .append("' to the USB devices its drivers take,\n")
                .append("# as an ACL entry: each device's owner, group and mode stay as the other rules set them.\n")
                .append("# Written by `usblogd udev-rules` from ").append(source).append(".\n")
                .append("# After adding a driver, write it again and apply it:\n")
                .append("#   usblogd udev-rules > /etc/udev/rules.d/").append(FILE_NAME).append('\n')
                .append("#   udevadm control --reload && udevadm trigger --subsystem-match=usb\n")
                .append("SUBSYSTEM!=\"usb\", GOTO=\"usblogd_end\"\n")
                .append("ENV{DEVTYPE}!=\"usb_device\", GOTO=\"usblogd_end\"\n")
                .append("ACTION==\"remove\", GOTO=\"usblogd_end\"\n");
        for (PluginTables.Plugin p : plugins) {
            if (p.rows().isEmpty()) {
                continue;
            }
            out.append("\n# ").append(p.jar().getFileName()).append(" (").append(p.bundle()).append(")\n");
            for (DeviceMatch row : p.rows()) {
                out.append("# ").append(row.driver()).append(": ").append(row.describe()).append('\n');
                List<String> rules = rules(row, group);
                if (rules.isEmpty()) {
                    out.append("# (skipped: a string with a double quote cannot be written in a rule)\n");
                }
                rules.forEach(r -> out.append(r).append('\n'));
            }
        }
        return out.append("\nLABEL=\"usblogd_end\"\n").toString();
    }

    static List<String> rules(DeviceMatch row, String group) {
        List<String> common = new ArrayList<>();
        if (row.vendorId() >= 0) {
            common.add(String.format("ATTR{idVendor}==\"%04x\"", row.vendorId()));
        }
        if (row.productId() >= 0) {
            common.add(String.format("ATTR{idProduct}==\"%04x\"", row.productId()));
        }
        if (row.port() != null) {
            if (!row.port().matches("[0-9.-]+")) {
                return List.of();
            }
            common.add("KERNEL==\"" + row.port() + "\"");
        }
        for (String[] s : new String[][] {{"manufacturer", row.manufacturer()}, {"product", row.product()},
            {"serial", row.serial()}}) {
            if (s[1] != null) {
                if (s[1].indexOf('"') >= 0 || s[1].indexOf('\n') >= 0) {
                    return List.of();
                }
                common.add("ATTR{" + s[0] + "}==\"" + s[1] + "\"");
            }
        }
        // at every add and change event: udev applies the mode anew each time, and a mode sets the ACL's mask
        String grant = "RUN+=\"" + SETFACL + " -m g:" + group + ":rw $devnode\"";
        if (row.usbClass() < 0) {
            return List.of(String.join(", ", common) + ", " + grant);
        }
        List<String> byDevice = new ArrayList<>(common);
        byDevice.add(String.format("ATTR{bDeviceClass}==\"%02x\"", row.usbClass()));
        if (row.subclass() >= 0) {
            byDevice.add(String.format("ATTR{bDeviceSubClass}==\"%02x\"", row.subclass()));
        }
        if (row.protocol() >= 0) {
            byDevice.add(String.format("ATTR{bDeviceProtocol}==\"%02x\"", row.protocol()));
        }
        List<String> byInterface = new ArrayList<>(common);
        byInterface.add("ENV{ID_USB_INTERFACES}==\"*:" + hexOrAny(row.usbClass()) + hexOrAny(row.subclass())
                + hexOrAny(row.protocol()) + ":*\"");
        return List.of(String.join(", ", byDevice) + ", " + grant, String.join(", ", byInterface) + ", " + grant);
    }

    private static String hexOrAny(int value) {
        return value < 0 ? "??" : String.format(Locale.ROOT, "%02x", value);
    }
}
