package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.usb4java.ConfigDescriptor;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.EndpointDescriptor;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceAssociation;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * A device libusb reported, living in the libusb context that listed it. Holds a reference on the native
 * device until {@link #dispose()}; after that it can no longer be opened (the context may be exited), and
 * the reference is dropped once no call that uses it is under way. The descriptor tree comes from libusb's
 * cached copy (no I/O); string descriptors need control transfers, which must not run inside a hotplug
 * callback, so they are read once, on first use of {@link #info()}, from the caller's thread.
 */
final class LibUsbDevice implements BackendDevice {
    private static final int DT_INTERFACE_ASSOCIATION = 0x0B;

    private final Device device;
    private final LibUsbContext home;
    private final LibUsbConnections connections;
    private final Object use = new Object();
    private int users;
    private boolean disposed;
    private boolean referenced = true;
    private final DeviceDescriptor descriptor = new DeviceDescriptor();
    private final String portPath;
    private final int bus;
    private final int address;
    private final List<ConfigTree> configurations;
    private final int activeConfiguration;
    private final UsbSpeed speed;
    private volatile UsbDeviceInfo info;

    LibUsbDevice(Device device, LibUsbContext home) throws UsbException {
        this.device = LibUsb.refDevice(device);
        this.home = home;
        this.connections = home.connections();
        this.bus = LibUsb.getBusNumber(device);
        this.address = LibUsb.getDeviceAddress(device);
        this.portPath = portPath(device, bus);
        try {
            LibUsbErrors.check(LibUsb.getDeviceDescriptor(device, descriptor), "read device descriptor", node());
            this.configurations = readConfigurations(device, descriptor.bNumConfigurations() & 0xFF);
            this.activeConfiguration = activeConfiguration(device);
            this.speed = speed(LibUsb.getDeviceSpeed(device));
        } catch (UsbException | RuntimeException e) {
            LibUsb.unrefDevice(device);
            throw e;
        }
    }

    Device device() {
        return device;
    }

    LibUsbContext home() {
        return home;
    }

    int bus() {
        return bus;
    }

    int address() {
        return address;
    }

    /** /dev/bus/usb/BBB/DDD, the node whose permissions decide whether we may open the device. */
    String node() {
        return String.format("/dev/bus/usb/%03d/%03d", bus, address);
    }

    String describe() {
        return String.format("%04x:%04x at %s (%s)", descriptor.idVendor() & 0xFFFF, descriptor.idProduct() & 0xFFFF,
                portPath, node());
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public UsbDeviceInfo info() {
        UsbDeviceInfo i = info;
        if (i == null) {
            synchronized (this) {
                if (info == null) {
                    info = readInfo();
                }
                i = info;
            }
        }
        return i;
    }

    @Override
    public DeviceConnection open() throws UsbException {
        if (!enter()) {
            throw new UsbException(UsbException.Kind.GONE, "open " + describe()
                    + " failed: the device was unplugged (or the USB backend stopped)");
        }
        try {
            DeviceHandle handle = new DeviceHandle();
            LibUsbErrors.check(LibUsb.open(device, handle), "open", describe());
            return connections.opened(new LibUsbConnection(handle, this, connections));
        } finally {
            leave();
        }
    }

    /** The device left: no new handle may be opened on it, and the native device is let go. */
    void dispose() {
        synchronized (use) {
            if (disposed) {
                return;
            }
            disposed = true;
            if (users > 0) {
                return; // the last user lets go
            }
            referenced = false;
        }
        LibUsb.unrefDevice(device);
    }

    /**
     * @return false once disposed, or once the context is retired: the native device may be gone with its
     *         context
     */
    private boolean enter() {
        synchronized (use) {
            if (disposed || !connections.enter()) {
                return false;
            }
            users++;
            return true;
        }
    }

    private void leave() {
        boolean unref;
        synchronized (use) {
            users--;
            unref = disposed && users == 0 && referenced;
            if (unref) {
                referenced = false;
            }
        }
        if (unref) {
            LibUsb.unrefDevice(device);
        }
        // only now: the context must outlive the reference dropped above
        connections.leave();
    }

    private UsbDeviceInfo readInfo() {
        Strings strings = new Strings();
        DeviceHandle handle = new DeviceHandle();
        boolean entered = enter();
        if (entered && LibUsb.open(device, handle) == LibUsb.SUCCESS) {
            strings.handle = handle;
        }
        try {
            List<UsbConfigurationInfo> configs = new ArrayList<>();
            for (ConfigTree c : configurations) {
                configs.add(c.toInfo(strings));
            }
            return new UsbDeviceInfo(descriptor.idVendor() & 0xFFFF, descriptor.idProduct() & 0xFFFF,
                    descriptor.bcdDevice() & 0xFFFF, descriptor.bDeviceClass() & 0xFF,
                    descriptor.bDeviceSubClass() & 0xFF, descriptor.bDeviceProtocol() & 0xFF,
                    strings.get(descriptor.iManufacturer()), strings.get(descriptor.iProduct()),
                    strings.get(descriptor.iSerialNumber()), portPath, address, configs, activeConfiguration, speed);
        } finally {
            if (strings.handle != null) {
                LibUsb.close(handle);
            }
            if (entered) {
                leave();
            }
        }
    }

    /** Reads each string index at most once; a device that cannot be opened has no strings. */
    private static final class Strings {
        DeviceHandle handle;
        private final java.util.Map<Integer, String> cache = new java.util.HashMap<>();

        String get(byte index) {
            int i = index & 0xFF;
            if (i == 0 || handle == null) {
                return null;
            }
            return cache.computeIfAbsent(i, k -> {
                String s = LibUsb.getStringDescriptor(handle, index);
                return s == null ? null : s.strip();
            });
        }
    }

    private static String portPath(Device device, int bus) {
        ByteBuffer ports = ByteBuffer.allocateDirect(8);
        int n = LibUsb.getPortNumbers(device, ports);
        StringBuilder sb = new StringBuilder().append(bus).append('-');
        if (n <= 0) {
            return sb.append('0').toString();
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(ports.get(i) & 0xFF);
        }
        return sb.toString();
    }

    static UsbSpeed speed(int libusbSpeed) {
        return switch (libusbSpeed) {
        case LibUsb.SPEED_LOW -> UsbSpeed.LOW;
        case LibUsb.SPEED_FULL -> UsbSpeed.FULL;
        case LibUsb.SPEED_HIGH -> UsbSpeed.HIGH;
        case LibUsb.SPEED_SUPER -> UsbSpeed.SUPER;
        default -> libusbSpeed > LibUsb.SPEED_SUPER ? UsbSpeed.SUPER_PLUS : UsbSpeed.UNKNOWN;
        };
    }

    private static int activeConfiguration(Device device) {
        ConfigDescriptor config = new ConfigDescriptor();
        if (LibUsb.getActiveConfigDescriptor(device, config) != LibUsb.SUCCESS) {
            return 0;
        }
        try {
            return config.bConfigurationValue() & 0xFF;
        } finally {
            LibUsb.freeConfigDescriptor(config);
        }
    }

    private static List<ConfigTree> readConfigurations(Device device, int count) {
        List<ConfigTree> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConfigDescriptor config = new ConfigDescriptor();
            if (LibUsb.getConfigDescriptor(device, (byte) i, config) != LibUsb.SUCCESS) {
                continue;
            }
            try {
                result.add(ConfigTree.read(config));
            } finally {
                LibUsb.freeConfigDescriptor(config);
            }
        }
        return result;
    }

    /** A configuration copied out of libusb's structures, with string indexes still unresolved. */
    private record ConfigTree(int value, byte nameIndex, int attributes, int maxPower, List<AltTree> alternates,
            List<byte[]> associations) {

        static ConfigTree read(ConfigDescriptor config) {
            List<AltTree> alternates = new ArrayList<>();
            List<byte[]> associations = new ArrayList<>();
            collectAssociations(config.extra(), associations);
            for (Interface iface : config.iface()) {
                for (InterfaceDescriptor alt : iface.altsetting()) {
                    List<UsbEndpointInfo> endpoints = new ArrayList<>();
                    // libusb files an IAD under the descriptor before it: an interface or an endpoint.
                    collectAssociations(alt.extra(), associations);
                    for (EndpointDescriptor ep : alt.endpoint()) {
                        endpoints.add(new UsbEndpointInfo(ep.bEndpointAddress() & 0xFF,
                                TransferType.fromAttributes(ep.bmAttributes()), ep.wMaxPacketSize() & 0xFFFF,
                                ep.bInterval() & 0xFF, classSpecific(ep.extra())));
                        collectAssociations(ep.extra(), associations);
                    }
                    alternates.add(new AltTree(alt.bInterfaceNumber() & 0xFF, alt.bAlternateSetting() & 0xFF,
                            alt.bInterfaceClass() & 0xFF, alt.bInterfaceSubClass() & 0xFF,
                            alt.bInterfaceProtocol() & 0xFF, endpoints, alt.iInterface(),
                            classSpecific(alt.extra())));
                }
            }
            return new ConfigTree(config.bConfigurationValue() & 0xFF, config.iConfiguration(),
                    config.bmAttributes() & 0xFF, (config.bMaxPower() & 0xFF) * 2, alternates, associations);
        }

        UsbConfigurationInfo toInfo(Strings strings) {
            List<UsbInterfaceInfo> interfaces = new ArrayList<>();
            for (AltTree a : alternates) {
                interfaces.add(new UsbInterfaceInfo(a.number, a.alternate, a.cls, a.subClass, a.protocol, a.endpoints,
                        strings.get(a.nameIndex), a.extra));
            }
            List<UsbInterfaceAssociation> iads = new ArrayList<>();
            for (byte[] d : associations) {
                iads.add(new UsbInterfaceAssociation(d[2] & 0xFF, d[3] & 0xFF, d[4] & 0xFF, d[5] & 0xFF, d[6] & 0xFF,
                        strings.get(d[7])));
            }
            return new UsbConfigurationInfo(value, strings.get(nameIndex), attributes, maxPower, interfaces, iads);
        }
    }

    private record AltTree(int number, int alternate, int cls, int subClass, int protocol,
            List<UsbEndpointInfo> endpoints, byte nameIndex, byte[] extra) {
    }

    /**
     * The descriptors libusb kept after a standard one, without the interface associations among them
     * (libusb files an IAD under the descriptor before it, though it belongs to the next function): whole
     * descriptors only, so a malformed tail is left out rather than passed on cut.
     */
    static byte[] classSpecific(ByteBuffer extra) {
        if (extra == null) {
            return new byte[0];
        }
        ByteBuffer b = extra.duplicate();
        b.rewind();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (b.remaining() >= 2) {
            int start = b.position();
            int length = b.get(start) & 0xFF;
            if (length < 2 || length > b.remaining()) {
                break;
            }
            byte[] d = new byte[length];
            b.get(d);
            if ((d[1] & 0xFF) != DT_INTERFACE_ASSOCIATION) {
                out.writeBytes(d);
            }
        }
        return out.toByteArray();
    }

    /** Walks a run of descriptors (bLength, bDescriptorType, ...) and keeps the interface associations. */
    static void collectAssociations(ByteBuffer extra, List<byte[]> into) {
        if (extra == null) {
            return;
        }
        ByteBuffer b = extra.duplicate();
        b.rewind();
        while (b.remaining() >= 2) {
            int start = b.position();
            int length = b.get(start) & 0xFF;
            if (length < 2 || length > b.remaining()) {
                return; // malformed: libusb kept it verbatim, we ignore the rest
            }
            if ((b.get(start + 1) & 0xFF) == DT_INTERFACE_ASSOCIATION && length >= 8) {
                byte[] d = new byte[8];
                b.get(d);
                into.add(d);
                b.position(start + length);
            } else {
                b.position(start + length);
            }
        }
    }
}
