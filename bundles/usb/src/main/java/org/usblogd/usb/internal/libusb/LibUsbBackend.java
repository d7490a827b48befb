package org.usblogd.usb.internal.libusb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
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
 * The real bus, through usb4java and the libusb it bundles. One libusb context at a time, one supervised
 * event thread, and one of two ways to follow devices coming and going: libusb's hotplug callbacks where
 * udevd runs, otherwise a sysfs watcher. The libusb 1.0.22 in usb4java crashes when a second context is
 * created or exited while an event thread runs, and its long-lived context never sees new devices without
 * udevd; so without udevd an arrival restarts the context: every device is reported gone, the backend waits
 * for all handles to close, stops the event thread, exits, and starts afresh. On a machine without USB
 * device nodes it says so once and reports no devices.
 */
@Component(service = { UsbBackend.class, Supplier.class }, immediate = true, configurationPid = LibUsbBackend.PID,
        property = "usblogd.health=libusb-events")
@Designate(ocd = LibUsbBackend.Config.class)
public class LibUsbBackend implements UsbBackend, Supplier<Map<String, Object>> {
    static final String PID = "org.usblogd.usb.libusb";
    private static final Logger log = LoggerFactory.getLogger(LibUsbBackend.class);

    @ObjectClassDefinition(name = "usblogd libusb backend")
    public @interface Config {
        @AttributeDefinition(description = "How device arrival and departure are noticed: auto (libusb hotplug"
                + " when udevd runs, otherwise watching sysfs), udev, sysfs, or none (enumerate once)")
        String hotplug() default "auto";

        @AttributeDefinition(description = "Interval of the sysfs watcher in milliseconds")
        long sysfs_poll_ms() default 1000;

        @AttributeDefinition(description = "Pause before a dead libusb event thread is restarted, in milliseconds")
        long event_thread_restart_ms() default 1000;

        @AttributeDefinition(description = "How long a context restart waits for sessions to close their"
                + " device handles, in milliseconds")
        long restart_wait_ms() default 10000;
    }

    /** Where the backend looks; tests point it into an emulated system. */
    record SystemPaths(Path deviceNodes, Path udevControl, Path sysfsDevices) {
        static final SystemPaths REAL = new SystemPaths(Path.of("/dev/bus/usb"), Path.of("/run/udev/control"),
                Path.of("/sys/bus/usb/devices"));
    }

    enum Mode {
        UDEV, SYSFS, NONE
    }

    private final SystemPaths paths;
    private final List<BackendListener> listeners = new CopyOnWriteArrayList<>();
    /** Keyed by the native device, which libusb hands out again on departure. */
    private final Map<Device, LibUsbDevice> devices = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private Config config;
    private Mode mode;
    private Context context;
    private LibUsbConnections connections;
    private HotplugCallbackHandle hotplug;
    private LibUsbEventThread events;
    private SysfsWatcher watcher;
    private volatile int contextStarts;

    public LibUsbBackend() {
        this(SystemPaths.REAL);
    }

    LibUsbBackend(SystemPaths paths) {
        this.paths = paths;
    }

    @Activate
    void activate(Config config) {
        this.config = config;
        if (!Files.isDirectory(paths.deviceNodes())) {
            log.info("no USB device nodes at {}: the real USB bus is not available here; running without it",
                    paths.deviceNodes());
            return;
        }
        mode = mode(config.hotplug());
        synchronized (lifecycle) {
            if (!startContext()) {
                return;
            }
        }
        if (mode == Mode.SYSFS) {
            watcher = new SysfsWatcher(paths.sysfsDevices(), config.sysfs_poll_ms(), this::sysfsChanged);
            watcher.start();
        }
        log.info("libusb {} ready ({}), {} device(s) present", version(), describeMode(), devices.size());
    }

    private Mode mode(String configured) {
        switch (configured.strip().toLowerCase()) {
        case "udev":
            return Mode.UDEV;
        case "sysfs":
            return Mode.SYSFS;
        case "none":
            return Mode.NONE;
        default:
            if (!"auto".equalsIgnoreCase(configured.strip())) {
                log.warn("unknown hotplug mode '{}' in {}.cfg; using auto", configured, PID);
            }
            if (Files.exists(paths.udevControl())) {
                return Mode.UDEV;
            }
            log.info("udevd is not running ({} missing): following USB devices by watching {}",
                    paths.udevControl(), paths.sysfsDevices());
            return Mode.SYSFS;
        }
    }

    private String describeMode() {
        switch (mode) {
        case UDEV:
            return hotplug != null ? "hotplug through udev" : "devices enumerated once";
        case SYSFS:
            return "hotplug by watching " + paths.sysfsDevices();
        default:
            return "devices enumerated once";
        }
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
        if (watcher != null) {
            watcher.stop();
            watcher = null;
        }
        synchronized (lifecycle) {
            stopContext();
        }
    }

    /** How many times a libusb context was started: 1, plus one per restart. */
    int contextStarts() {
        return contextStarts;
    }

    LibUsbEventThread eventThread() {
        synchronized (lifecycle) {
            return events;
        }
    }

    int openConnections() {
        synchronized (lifecycle) {
            return connections == null ? 0 : connections.count();
        }
    }

    private boolean startContext() {
        Context ctx = new Context();
        int r;
        try {
            r = LibUsb.init(ctx);
        } catch (LibUsbException | UnsatisfiedLinkError e) {
            log.error("libusb could not be loaded ({}); the real USB bus is not available", e.toString());
            return false;
        }
        if (r != LibUsb.SUCCESS) {
            log.error("libusb failed to initialise: {}; the real USB bus is not available", LibUsb.strError(r));
            return false;
        }
        context = ctx;
        connections = new LibUsbConnections();
        contextStarts++;
        if (mode == Mode.UDEV && LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG)) {
            HotplugCallbackHandle handle = new HotplugCallbackHandle();
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
                    }, null, handle);
            if (r == LibUsb.SUCCESS) {
                hotplug = handle;
            } else {
                log.warn("libusb hotplug registration failed: {}; devices are enumerated once", LibUsb.strError(r));
            }
        }
        if (hotplug == null) {
            enumerate();
        }
        events = new LibUsbEventThread(context, config.event_thread_restart_ms());
        events.start();
        return true;
    }

    /** The shutdown order libusb 1.0.22 survives: event thread, callbacks, handles, devices, context. */
    private void stopContext() throws InterruptedException {
        if (context == null) {
            return;
        }
        events.stop();
        events = null;
        if (hotplug != null) {
            LibUsb.hotplugDeregisterCallback(context, hotplug);
            hotplug = null;
        }
        if (connections.count() > 0) {
            log.warn("{} USB device handle(s) still open while libusb shuts down", connections.count());
        }
        devices.values().forEach(LibUsbDevice::dispose);
        devices.clear();
        LibUsb.exit(context);
        context = null;
    }

    private void sysfsChanged(SysfsWatcher.Change change) {
        change.left().values().forEach(e -> devices.values().stream()
                .filter(d -> d.bus() == e.bus() && d.address() == e.address()).findFirst()
                .ifPresent(d -> remove(d.device())));
        if (!change.arrived().isEmpty()) {
            log.info("USB device(s) {} arrived; restarting libusb to see them (without udevd libusb cannot"
                    + " follow new devices)", change.arrived().keySet());
            try {
                restartContext();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void restartContext() throws InterruptedException {
        synchronized (lifecycle) {
            if (context == null) {
                return;
            }
            new ArrayList<>(devices.keySet()).forEach(this::remove);
            if (!connections.awaitAllClosed(config.restart_wait_ms())) {
                log.error("{} session(s) kept their USB devices open for {} ms; restarting libusb anyway",
                        connections.count(), config.restart_wait_ms());
            }
            stopContext();
            startContext();
        }
    }

    private void enumerate() {
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
            LibUsbDevice d = new LibUsbDevice(device, connections);
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

    /**
     * Health for the service watchdog: the event thread's rounds (it goes round at least twice a second) and
     * whether it is alive; "idle" without USB, where there is no event thread to watch.
     */
    @Override
    public Map<String, Object> get() {
        LibUsbEventThread e;
        synchronized (lifecycle) {
            e = events;
        }
        if (e == null) {
            return Map.of("idle", true, "healthy", true, "progress", 0L, "status", "no USB bus");
        }
        return Map.of("progress", e.rounds(), "healthy", e.isAlive(), "status",
                e.restarts() == 0 ? "libusb events ok" : "libusb event thread restarted " + e.restarts() + " time(s)");
    }
}
