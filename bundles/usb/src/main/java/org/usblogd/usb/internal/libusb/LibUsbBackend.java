package org.usblogd.usb.internal.libusb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceList;
import org.usb4java.HotplugCallbackHandle;
import org.usb4java.LibUsb;
import org.usb4java.LibUsbException;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.UsbBackend;

/**
 * The real bus, through usb4java and the libusb it bundles. One libusb context for the life of the
 * component, one event thread, hotplug callbacks where udevd runs. On a machine without USB device nodes
 * (containers, CI) it says so once and reports no devices; the daemon goes on with its other backends.
 */
@Component(service = UsbBackend.class, immediate = true)
public class LibUsbBackend implements UsbBackend {
    private static final Logger log = LoggerFactory.getLogger(LibUsbBackend.class);
    private static final Path DEVICE_NODES = Path.of("/dev/bus/usb");
    private static final Path UDEV_CONTROL = Path.of("/run/udev/control");

    private final List<BackendListener> listeners = new CopyOnWriteArrayList<>();
    /** Keyed by the native device, which libusb hands out again on departure. */
    private final Map<Device, LibUsbDevice> devices = new ConcurrentHashMap<>();
    private Context context;
    private HotplugCallbackHandle hotplug;
    private Thread eventThread;
    private volatile boolean running;

    @Activate
    void activate() {
        if (!Files.isDirectory(DEVICE_NODES)) {
            log.info("no USB device nodes at {}: the real USB bus is not available here; running without it", DEVICE_NODES);
            return;
        }
        Context ctx = new Context();
        int r;
        try {
            r = LibUsb.init(ctx);
        } catch (LibUsbException | UnsatisfiedLinkError e) {
            log.error("libusb could not be loaded ({}); the real USB bus is not available", e.toString());
            return;
        }
        if (r != LibUsb.SUCCESS) {
            log.error("libusb failed to initialise: {}; the real USB bus is not available", LibUsb.strError(r));
            return;
        }
        context = ctx;
        if (LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG) && Files.exists(UDEV_CONTROL)) {
            hotplug = new HotplugCallbackHandle();
            r = LibUsb.hotplugRegisterCallback(context,
                    LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED | LibUsb.HOTPLUG_EVENT_DEVICE_LEFT, LibUsb.HOTPLUG_ENUMERATE,
                    LibUsb.HOTPLUG_MATCH_ANY, LibUsb.HOTPLUG_MATCH_ANY, LibUsb.HOTPLUG_MATCH_ANY,
                    (c, device, event, data) -> {
                        if (event == LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED) {
                            add(device);
                        } else {
                            remove(device);
                        }
                        return 0;
                    }, null, hotplug);
            if (r != LibUsb.SUCCESS) {
                log.warn("libusb hotplug registration failed: {}; devices are enumerated once", LibUsb.strError(r));
                hotplug = null;
            }
        } else {
            log.warn("udevd is not running ({} missing): USB devices are enumerated at start only", UDEV_CONTROL);
        }
        if (hotplug == null) {
            enumerateOnce();
        }
        running = true;
        eventThread = new Thread(this::handleEvents, "usb-libusb-events");
        eventThread.setDaemon(true);
        eventThread.start();
        log.info("libusb {} ready, {} device(s) present", version(), devices.size());
    }

    @Override
    public String name() {
        return "libusb";
    }

    @Override
    public void start(BackendListener listener) {
        listeners.add(listener);
        devices.values().forEach(listener::arrived);
    }

    @Override
    public void stop(BackendListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (context == null) {
            return;
        }
        // libusb 1.0.22 crashes when exit races the event thread: stop it, deregister, release, then exit.
        running = false;
        if (eventThread != null) {
            eventThread.join(2_000);
        }
        if (hotplug != null) {
            LibUsb.hotplugDeregisterCallback(context, hotplug);
        }
        devices.values().forEach(LibUsbDevice::dispose);
        devices.clear();
        LibUsb.exit(context);
        context = null;
    }

    private void handleEvents() {
        while (running) {
            int r = LibUsb.handleEventsTimeout(context, 250_000);
            if (r != LibUsb.SUCCESS && r != LibUsb.ERROR_INTERRUPTED) {
                log.warn("libusb event handling failed: {}", LibUsb.strError(r));
            }
        }
    }

    private void enumerateOnce() {
        DeviceList list = new DeviceList();
        int n = LibUsb.getDeviceList(context, list);
        if (n < 0) {
            log.error("libusb could not list devices: {}", LibUsb.strError(n));
            return;
        }
        try {
            List<Device> all = new ArrayList<>();
            list.forEach(all::add);
            all.forEach(this::add);
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
    }

    private void add(Device device) {
        try {
            LibUsbDevice d = new LibUsbDevice(context, device);
            if (devices.putIfAbsent(d.device(), d) == null) {
                listeners.forEach(l -> l.arrived(d));
            } else {
                d.dispose();
            }
        } catch (UsbException e) {
            log.warn("ignoring a USB device libusb could not describe: {}", e.getMessage());
        }
    }

    private void remove(Device device) {
        LibUsbDevice d = devices.remove(device);
        if (d != null) {
            listeners.forEach(l -> l.left(d));
            d.dispose();
        }
    }

    private static String version() {
        org.usb4java.Version v = LibUsb.getVersion();
        return v.major() + "." + v.minor() + "." + v.micro();
    }
}
