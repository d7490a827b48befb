package org.usblogd.testing.umockdev;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbInterfaceAssociation;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * The binary descriptors a device with this {@link UsbDeviceInfo} sends: the device descriptor, one
 * configuration descriptor per configuration (with IADs, interfaces and endpoints in wire order, each
 * followed by its class-specific descriptors) and the
 * string descriptors they point to. The inverse of what libusb parses, so a model's description survives
 * the round trip through the real stack.
 */
final class Descriptors {
    private final byte[] device;
    private final List<byte[]> configurations = new ArrayList<>();
    private final List<String> strings = new ArrayList<>();

    Descriptors(UsbDeviceInfo info) {
        int iManufacturer = string(info.manufacturer());
        int iProduct = string(info.product());
        int iSerial = string(info.serialNumber());
        device = new byte[] { 18, 1, 0x00, 0x02, (byte) info.deviceClass(), (byte) info.deviceSubClass(),
                (byte) info.deviceProtocol(), 64, lo(info.vendorId()), hi(info.vendorId()), lo(info.productId()),
                hi(info.productId()), lo(info.bcdDevice()), hi(info.bcdDevice()), (byte) iManufacturer,
                (byte) iProduct, (byte) iSerial, (byte) info.configurations().size() };
        for (UsbConfigurationInfo c : info.configurations()) {
            configurations.add(configuration(c));
        }
    }

    byte[] device() {
        return device.clone();
    }

    byte[] configuration(int index) {
        return index < configurations.size() ? configurations.get(index).clone() : null;
    }

    /** What sysfs shows in a device's "descriptors" file: the device descriptor, then every configuration. */
    byte[] sysfsDescriptors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(device);
        configurations.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** String descriptor {@code index} (0 = the language list), or null when there is none. */
    byte[] string(int index) {
        if (index == 0) {
            return new byte[] { 4, 3, 0x09, 0x04 };
        }
        if (index > strings.size()) {
            return null;
        }
        byte[] text = strings.get(index - 1).getBytes(StandardCharsets.UTF_16LE);
        int length = Math.min(255, text.length + 2) & ~1;
        byte[] d = new byte[length];
        d[0] = (byte) length;
        d[1] = 3;
        System.arraycopy(text, 0, d, 2, length - 2);
        return d;
    }

    private byte[] configuration(UsbConfigurationInfo c) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        TreeSet<Integer> numbers = new TreeSet<>();
        c.interfaces().forEach(i -> numbers.add(i.number()));
        for (int number : numbers) {
            for (UsbInterfaceAssociation a : c.associations()) {
                if (a.firstInterface() == number) {
                    body.writeBytes(new byte[] { 8, 0x0B, (byte) a.firstInterface(), (byte) a.interfaceCount(),
                            (byte) a.functionClass(), (byte) a.functionSubClass(), (byte) a.functionProtocol(),
                            (byte) string(a.name()) });
                }
            }
            for (UsbInterfaceInfo i : c.interfaces()) {
                if (i.number() != number) {
                    continue;
                }
                body.writeBytes(new byte[] { 9, 4, (byte) i.number(), (byte) i.alternate(),
                        (byte) i.endpoints().size(), (byte) i.interfaceClass(), (byte) i.interfaceSubClass(),
                        (byte) i.interfaceProtocol(), (byte) string(i.name()) });
                body.writeBytes(i.extra());
                for (UsbEndpointInfo e : i.endpoints()) {
                    body.writeBytes(new byte[] { 7, 5, (byte) e.address(), (byte) e.type().ordinal(),
                            lo(e.maxPacketSize()), hi(e.maxPacketSize()), (byte) e.interval() });
                    body.writeBytes(e.extra());
                }
            }
        }
        int total = 9 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { 9, 2, lo(total), hi(total), (byte) numbers.size(), (byte) c.value(),
                (byte) string(c.name()), (byte) c.attributes(), (byte) (c.maxPowerMilliamps() / 2) });
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private int string(String s) {
        if (s == null) {
            return 0;
        }
        int i = strings.indexOf(s);
        if (i >= 0) {
            return i + 1;
        }
        strings.add(s);
        return strings.size();
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >> 8);
    }
}
