package org.usblogd.framework.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * USB devices as the kernel lists them in sysfs. Unlike libusb this needs no access to the device nodes:
 * the kernel keeps the strings and the bound drivers there, so it shows what a user without permission
 * would not see, which is the point of a diagnosis.
 */
public final class SysfsUsb {
    /** "1-1", "2-1.4.3"; not root hubs ("usb1") and not interfaces ("1-1:1.0"). */
    private static final Pattern DEVICE = Pattern.compile("\\d+-\\d+(\\.\\d+)*");

    /** An interface (setting 0) with the kernel driver bound to it, or null. */
    public record Interface(UsbInterfaceInfo info, String kernelDriver) {
    }

    /** A device, its node in /dev/bus/usb and its interfaces. */
    public record Device(UsbDeviceInfo info, Path node, List<Interface> interfaces) {
    }

    private SysfsUsb() {
    }

    public static List<Device> list(Path sysBusUsbDevices, Path devBusUsb) throws IOException {
        List<Device> devices = new ArrayList<>();
        if (!Files.isDirectory(sysBusUsbDevices)) {
            return devices;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(sysBusUsbDevices)) {
            dirs = s.filter(p -> DEVICE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path dir : dirs) {
            try {
                devices.add(read(dir, devBusUsb));
            } catch (IOException | RuntimeException e) {
                // a device leaving while it is read; the next run sees the bus as it is then
            }
        }
        return devices;
    }

    private static Device read(Path dir, Path devBusUsb) throws IOException {
        String name = dir.getFileName().toString();
        List<Interface> interfaces = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path i : s.filter(p -> p.getFileName().toString().startsWith(name + ":")).sorted().toList()) {
                UsbInterfaceInfo info = new UsbInterfaceInfo(hex(i, "bInterfaceNumber"), 0, hex(i, "bInterfaceClass"),
                        hex(i, "bInterfaceSubClass"), hex(i, "bInterfaceProtocol"), List.of(), text(i, "interface"));
                Path driver = i.resolve("driver");
                interfaces.add(new Interface(info,
                        Files.isSymbolicLink(driver) ? Files.readSymbolicLink(driver).getFileName().toString() : null));
            }
        }
        int bus = Integer.parseInt(text(dir, "busnum"));
        int address = Integer.parseInt(text(dir, "devnum"));
        UsbDeviceInfo info = new UsbDeviceInfo(hex(dir, "idVendor"), hex(dir, "idProduct"), hexOr(dir, "bcdDevice", 0),
                hexOr(dir, "bDeviceClass", 0), hexOr(dir, "bDeviceSubClass", 0), hexOr(dir, "bDeviceProtocol", 0),
                text(dir, "manufacturer"), text(dir, "product"), text(dir, "serial"), name, address,
                interfaces.stream().map(Interface::info).toList());
        return new Device(info, devBusUsb.resolve(String.format("%03d/%03d", bus, address)), interfaces);
    }

    private static String text(Path dir, String attribute) throws IOException {
        Path f = dir.resolve(attribute);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        String v = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).strip();
        return v.isEmpty() ? null : v;
    }

    private static int hex(Path dir, String attribute) throws IOException {
        String v = text(dir, attribute);
        if (v == null) {
            throw new IOException(dir.resolve(attribute) + " is missing");
        }
        return Integer.parseInt(v, 16);
    }

    private static int hexOr(Path dir, String attribute, int fallback) throws IOException {
        String v = text(dir, attribute);
        return v == null ? fallback : Integer.parseInt(v, 16);
    }
}
