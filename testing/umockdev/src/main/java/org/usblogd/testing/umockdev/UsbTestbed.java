package org.usblogd.testing.umockdev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;
import org.usblogd.testing.umockdev.NativeLibraries.GObject;
import org.usblogd.testing.umockdev.NativeLibraries.LibC;
import org.usblogd.testing.umockdev.NativeLibraries.UMockdev;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * A umockdev testbed holding emulated USB devices for the real libusb stack. Creating one points this
 * process at it (UMOCKDEV_DIR); the process must run with {@code LD_PRELOAD=libumockdev-preload.so.0}, and
 * so must any child process given {@link #environment()}. Devices are plugged with a {@link DeviceModel}
 * (the same models the families' twin bundles give the virtual bus), appear in sysfs and /dev/bus/usb, and send the
 * udev "add" and "remove" events libusb's hotplug listens to.
 *
 * <p>Ports are "BUS-PORT" with a single port level: libusb derives port chains from parent hubs, and the
 * testbed has none.
 */
public final class UsbTestbed implements AutoCloseable {
    public static final String PRELOAD = "libumockdev-preload.so.0";
    private static final UMockdev U = UMockdev.LIB;
    private static final long MIN_WAKE_NANOS = 100_000;

    private final Pointer testbed;
    private final Path root;
    private final ScheduledExecutorService clock;
    private final List<EmulatedUsbDevice> plugged = new CopyOnWriteArrayList<>();
    /**
     * Unplugged devices whose ioctl handler is still attached: a node opened just before it was removed
     * still reaches its device, which answers ENODEV as the kernel's does. Detached when the testbed closes
     * (or a new device takes the node): detaching cancels umockdev's listener, and a connection still in
     * its backlog is reset, which makes libumockdev-preload abort the process at its next ioctl.
     */
    private final List<EmulatedUsbDevice> unplugged = new CopyOnWriteArrayList<>();
    /** sysfs paths of the interface children of each plugged device. */
    private final Map<EmulatedUsbDevice, List<String>> interfacesOf = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean udevd = true;

    public UsbTestbed() {
        if (!isPreloaded()) {
            throw new IllegalStateException("the JVM must run with LD_PRELOAD=" + PRELOAD);
        }
        testbed = U.umockdev_testbed_new();
        Pointer dir = U.umockdev_testbed_get_root_dir(testbed);
        root = Path.of(dir.getString(0));
        GObject.LIB.g_free(dir);
        try {
            // libusb decides at its first init whether sysfs is usable, by looking for this directory.
            Files.createDirectories(root.resolve("sys/bus/usb/devices"));
            // A machine with a USB host controller has /dev/bus/usb even before any device is plugged.
            Files.createDirectories(root.resolve("dev/bus/usb"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "umockdev-clock");
            t.setDaemon(true);
            return t;
        });
    }

    public static boolean isPreloaded() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("libumockdev-preload");
    }

    /** The testbed's directory, where the emulated /sys and /dev live. */
    public Path root() {
        return root;
    }

    /** What a child process needs in its environment to see this testbed's devices. */
    public Map<String, String> environment() {
        return Map.of("LD_PRELOAD", PRELOAD, "UMOCKDEV_DIR", root.toString());
    }

    /**
     * From now on plugging and unplugging changes /sys and /dev only, as on a system without udevd: libusb's
     * udev monitor hears nothing, so a long-lived libusb context never learns of new devices.
     */
    public UsbTestbed withoutUdevd() {
        udevd = false;
        return this;
    }

    /** Plugs the model's device into {@code bus}-{@code port} at {@code address}; libusb sees it arrive. */
    public EmulatedUsbDevice plug(DeviceModel model, int bus, int port, int address) {
        return plug(model, bus, port, address, true);
    }

    /**
     * Plugs a device that sysfs lists (bus number, address) before its descriptors can be read, as while
     * the kernel still enumerates it behind a busy hub: libusb leaves it out of a device list until
     * {@link #finishEnumeration} makes the descriptors readable.
     */
    public EmulatedUsbDevice plugStillEnumerating(DeviceModel model, int bus, int port, int address) {
        return plug(model, bus, port, address, false);
    }

    public void finishEnumeration(EmulatedUsbDevice device) {
        byte[] d = device.sysfsDescriptors();
        U.umockdev_testbed_set_attribute_binary(testbed, device.sysfsPath(), "descriptors", d, d.length);
    }

    private EmulatedUsbDevice plug(DeviceModel model, int bus, int port, int address, boolean enumerated) {
        String name = bus + "-" + port;
        UsbDeviceInfo info = model.info().at(name, address);
        String sysfs = "/sys/devices/pci0000:00/0000:00:14.0/usb" + bus + "/" + name;
        AtomicReference<EmulatedUsbDevice> self = new AtomicReference<>();
        EmulatedUsbDevice device = new EmulatedUsbDevice(this, model, info, bus, address, sysfs,
                waker(self));
        self.set(device);
        PointerByReference error = new PointerByReference();
        for (EmulatedUsbDevice old : unplugged) {
            if (old.node().equals(device.node())) {
                unplugged.remove(old);
                detach(old);
            }
        }
        if (!U.umockdev_testbed_attach_ioctl(testbed, device.node(), device.handler(), error)) {
            throw new IllegalStateException("umockdev cannot emulate ioctls on " + device.node());
        }
        String devname = device.node().substring("/dev/".length());
        StringBuilder sb = new StringBuilder()
                .append("P: ").append(sysfs.substring("/sys".length())).append('\n')
                .append("N: ").append(devname).append('\n')
                .append("E: DEVNAME=").append(device.node()).append('\n')
                .append("E: DEVTYPE=usb_device\nE: DRIVER=usb\nE: SUBSYSTEM=usb\n")
                .append(String.format("E: BUSNUM=%03d\nE: DEVNUM=%03d\n", bus, address))
                .append(String.format("E: PRODUCT=%x/%x/%x\n", info.vendorId(), info.productId(), info.bcdDevice()))
                .append(udevd ? String.format("A: busnum=%d\\n\nA: devnum=%d\\n\n", bus, address) : "")
                .append(String.format("A: idVendor=%04x\\n\nA: idProduct=%04x\\n\n", info.vendorId(),
                        info.productId()))
                .append("A: bConfigurationValue=")
                .append(info.activeConfiguration() == 0 ? "" : info.activeConfiguration() + "\\n").append('\n')
                .append("A: bNumConfigurations=").append(info.configurations().size()).append("\\n\n")
                .append("A: speed=").append(speed(info.speed())).append("\\n\n")
                .append(String.format("A: bDeviceClass=%02x\\n\nA: bDeviceSubClass=%02x\\n\nA: bDeviceProtocol=%02x\\n\n",
                        info.deviceClass(), info.deviceSubClass(), info.deviceProtocol()))
                .append(enumerated ? "H: descriptors=" + HexFormat.of().formatHex(device.sysfsDescriptors()) + "\n"
                        : "");
        // The kernel's string attributes and one child per interface, with its kernel driver, as sysfs has them
        // (read by `usblogd doctor`; libusb itself reads only the descriptors above).
        appendString(sb, "manufacturer", info.manufacturer());
        appendString(sb, "product", info.product());
        appendString(sb, "serial", info.serialNumber());
        for (UsbInterfaceInfo i : info.interfaces()) {
            if (i.alternate() != 0) {
                continue;
            }
            String driver = model.kernelDriver(i.number());
            String child = sysfs + "/" + name + ":" + Math.max(1, info.activeConfiguration()) + "." + i.number();
            interfacesOf.computeIfAbsent(device, d -> new ArrayList<>()).add(child);
            sb.append('\n').append("P: ").append(child.substring("/sys".length()))
                    .append("\nE: DEVTYPE=usb_interface\nE: SUBSYSTEM=usb\n")
                    .append(driver == null ? "" : "E: DRIVER=" + driver + "\nL: driver=../../../../../../bus/usb/drivers/"
                            + driver + "\n")
                    .append(String.format("A: bInterfaceNumber=%02x\\n\nA: bAlternateSetting=0\\n\n", i.number()))
                    .append(String.format("A: bInterfaceClass=%02x\\n\nA: bInterfaceSubClass=%02x\\n\n"
                            + "A: bInterfaceProtocol=%02x\\n\n", i.interfaceClass(), i.interfaceSubClass(),
                            i.interfaceProtocol()));
        }
        unlinkUeventSockets();
        if (!U.umockdev_testbed_add_from_string(testbed, sb.toString(), error)) {
            throw new IllegalStateException("umockdev refused the device description of " + device);
        }
        if (!udevd) {
            // Whoever polls sysfs sees a device once its address is there: written last, so that nothing is
            // seen half-written (unless on purpose, see plugStillEnumerating). With udevd the "add" event has
            // gone out already, and libusb reads the address when it handles it.
            U.umockdev_testbed_set_attribute(testbed, sysfs, "busnum", bus + "\n");
            U.umockdev_testbed_set_attribute(testbed, sysfs, "devnum", address + "\n");
        }
        device.readiness().install(root.resolve("dev").resolve(devname).toString());
        plugged.add(device);
        return device;
    }

    /** What sysfs says in "speed", in Mbit/s; a device of unknown speed is taken as high speed. */
    private static String speed(UsbSpeed speed) {
        return switch (speed) {
        case LOW -> "1.5";
        case FULL -> "12";
        case SUPER -> "5000";
        case SUPER_PLUS -> "10000";
        default -> "480";
        };
    }

    private static void appendString(StringBuilder sb, String attribute, String value) {
        if (value != null && !value.contains("\n")) {
            sb.append("A: ").append(attribute).append('=').append(value).append("\\n\n");
        }
    }

    /**
     * Pulls the device out: URBs in flight fail, the node goes, a file descriptor still open on it answers
     * ENODEV (the device stays attached to umockdev's ioctl emulation until the testbed closes, see
     * {@link #unplugged}), libusb sees it leave.
     */
    public void unplug(EmulatedUsbDevice device) {
        if (!plugged.remove(device)) {
            return;
        }
        device.disconnect();
        unlinkUeventSockets();
        // children first: umockdev leaves their /sys/bus/usb/devices links behind otherwise, and the next
        // device plugged into the same port could not be added
        for (String child : interfacesOf.getOrDefault(device, List.of())) {
            U.umockdev_testbed_remove_device(testbed, child);
        }
        interfacesOf.remove(device);
        U.umockdev_testbed_uevent(testbed, device.sysfsPath(), "remove");
        U.umockdev_testbed_remove_device(testbed, device.sysfsPath());
        unplugged.add(device);
    }

    /**
     * Detaches the devices unplugged so far from the ioctl emulation, giving back their descriptors. Only
     * once nothing holds their nodes open any more (every session on them ended): a late ioctl on a
     * detached node makes libumockdev-preload abort the process.
     */
    public void detachUnplugged() {
        for (EmulatedUsbDevice old : unplugged) {
            unplugged.remove(old);
            detach(old);
        }
    }

    private void detach(EmulatedUsbDevice device) {
        U.umockdev_testbed_detach_ioctl(testbed, device.node(), null);
        device.close();
    }

    /**
     * umockdev delivers uevents to every socket named event* in the testbed, which is where it bound each
     * netlink socket of this process; without udevd no such message is ever sent, so the sockets' names go.
     */
    private void unlinkUeventSockets() {
        if (udevd) {
            return;
        }
        try (java.nio.file.DirectoryStream<Path> sockets = Files.newDirectoryStream(root, "event[0-9]*")) {
            for (Path s : sockets) {
                Files.deleteIfExists(s);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot silence udev in " + root, e);
        }
    }

    /** Unplugs and plugs the same model into the same port; the bus gives it a new address. */
    public EmulatedUsbDevice replug(EmulatedUsbDevice device, int newAddress) {
        unplug(device);
        device.model().reset();
        String port = device.info().portPath();
        return plug(device.model(), device.bus(), Integer.parseInt(port.substring(port.indexOf('-') + 1)),
                newAddress);
    }

    /** Makes the node unreadable: opening it fails with EACCES (see {@link FileAccess} when running as root). */
    public void denyAccess(EmulatedUsbDevice device) {
        LibC.LIB.chmod(root.resolve(device.node().substring(1)).toString(), 0);
    }

    public List<EmulatedUsbDevice> devices() {
        return List.copyOf(plugged);
    }

    void setAttribute(EmulatedUsbDevice device, String name, String value) {
        U.umockdev_testbed_set_attribute(testbed, device.sysfsPath(), name, value);
    }

    private LongConsumer waker(AtomicReference<EmulatedUsbDevice> device) {
        AtomicLong armed = new AtomicLong(Long.MAX_VALUE);
        return deadline -> {
            long now = System.nanoTime();
            long at = Math.max(deadline, now + MIN_WAKE_NANOS);
            long current = armed.get();
            if (current != Long.MAX_VALUE && current <= at) {
                return; // an earlier wake is already on its way
            }
            armed.set(at);
            clock.schedule(() -> {
                armed.set(Long.MAX_VALUE);
                device.get().wake();
            }, at - now, TimeUnit.NANOSECONDS);
        };
    }

    @Override
    public void close() {
        plugged.forEach(this::unplug);
        unplugged.forEach(this::detach);
        unplugged.clear();
        clock.shutdownNow();
        GObject.LIB.g_object_unref(testbed);
    }
}
