package org.usblogd.usb.internal.libusb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.OneOf;
import org.usblogd.api.config.Range;
import org.usblogd.api.health.Health;
import org.usblogd.api.health.HealthCheck;
import org.usb4java.Device;
import org.usb4java.DeviceList;
import org.usb4java.HotplugCallbackHandle;
import org.usb4java.LibUsb;
import org.usb4java.LibUsbException;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.UsbBackend;

/**
 * The real bus, through usb4java and the libusb it bundles, following devices coming and going one of two
 * ways: libusb's hotplug callbacks where udevd runs, otherwise a sysfs watcher.
 *
 * <p>Without udevd the libusb 1.0.22 in usb4java never learns of a new device on a context it already
 * has: only a context initialised after the device appeared lists it. So the first context, the anchor,
 * stays for the backend's whole life (libusb keeps the first context as its default and reads it from other
 * threads), and each generation of arrivals gets an extra context with its own event thread, holding only
 * the devices it was opened for. A departure ends only that device; an extra context whose devices have all
 * left and whose handles are closed is exited. No other device's handle or transfers are touched, so no
 * other device notices. Contexts are created and exited on one lifecycle thread: libusb's rescan at init
 * holds a global lock and may block for seconds behind a hub that is still enumerating.
 *
 * <p>On a machine without USB device nodes it says so once and reports no devices.
 */
@Component(service = { UsbBackend.class, HealthCheck.class }, immediate = true, configurationPid = LibUsbBackend.PID,
        property = HealthCheck.PART + "=libusb-events")
@Designate(ocd = LibUsbBackend.Config.class)
public class LibUsbBackend implements UsbBackend, HealthCheck {
    static final String PID = "org.usblogd.usb.libusb";
    private static final Logger log = LoggerFactory.getLogger(LibUsbBackend.class);
    private static final ConfigCheck<Config> CHECK = LibUsbConfigRules.CHECK;
    /**
     * How many fresh contexts look for a device that sysfs lists but a new context did not (the kernel may
     * still be enumerating it: reading a busy hub blocks for seconds); they are a poll interval apart at
     * first, doubling.
     */
    static final int LOOKS = 6;
    private static final long HANDLES_CLOSE_WAIT_MS = 5_000;
    /** How long handles the backend closes itself at shutdown may take, calls under way included. */
    private static final long FORCED_CLOSE_WAIT_MS = 5_000;
    /** How long the users get at shutdown to close their handles themselves; tests shorten it. */
    volatile long handlesCloseWaitMs = HANDLES_CLOSE_WAIT_MS;

    @ObjectClassDefinition(name = "usblogd libusb backend")
    public @interface Config {
        @AttributeDefinition(description = "How device arrival and departure are noticed: auto (libusb hotplug"
                + " when udevd runs, otherwise watching sysfs), udev, sysfs, or none (enumerate once)")
        @OneOf({ "auto", "udev", "sysfs", "none" })
        String hotplug() default "auto";

        @AttributeDefinition(description = "Interval of the sysfs watcher in milliseconds")
        @Range(min = 10, max = 3_600_000)
        long sysfs_poll_ms() default 1000;

        @AttributeDefinition(description = "Pause before a dead libusb event thread is restarted, in milliseconds")
        @Range(min = 10, max = 3_600_000)
        long event_thread_restart_ms() default 1000;
    }

    /** Where the backend looks; tests point it into an emulated system. */
    record SystemPaths(Path deviceNodes, Path udevControl, Path sysfsDevices) {
        static final SystemPaths REAL = new SystemPaths(Path.of("/dev/bus/usb"), Path.of("/run/udev/control"),
                Path.of("/sys/bus/usb/devices"));
    }

    enum Mode {
        UDEV, SYSFS, NONE
    }

    /** A device sysfs lists that no context has shown yet, and when to look for it next. */
    private record Wanted(SysfsWatcher.Entry entry, int looks, long dueNanos) {
    }

    private final SystemPaths paths;
    private final List<BackendListener> listeners = new CopyOnWriteArrayList<>();
    /**
     * Guards devices and extras, and orders what listeners hear: a device's departure is never reported
     * before its arrival, whichever threads report them.
     */
    private final Object registry = new Object();
    /** Keyed by the native device, which libusb hands out again on departure. */
    private final Map<Device, LibUsbDevice> devices = new HashMap<>();
    private final List<LibUsbContext> extras = new ArrayList<>();
    /** Confined to the lifecycle thread, as is everything that creates or exits a context. */
    private final Map<String, Wanted> wanted = new LinkedHashMap<>();
    private final AtomicInteger contextsCreated = new AtomicInteger();
    private final AtomicInteger contextsExited = new AtomicInteger();
    private final Map<LibUsbEventThread, Long> roundsAtSweep = new HashMap<>();
    private long sweeps;
    /** The configuration the backend runs on: the last one that was valid. */
    private volatile Config config;
    private ConfigCheck.Checked<Config> checked;
    private ComponentContext component;
    private Mode mode;
    private volatile ScheduledExecutorService lifecycle;
    private ScheduledFuture<?> nextLook;
    private boolean closing;
    private volatile LibUsbContext anchor;
    private HotplugCallbackHandle hotplug;
    private volatile SysfsWatcher watcher;

    public LibUsbBackend() {
        this(SystemPaths.REAL);
    }

    LibUsbBackend(SystemPaths paths) {
        this.paths = paths;
    }

    /**
     * Takes the configuration as properties rather than as {@link Config}: Declarative Services would fail the
     * backend, and with it every real device, on a value it cannot convert.
     */
    @Activate
    void activate(Map<String, Object> properties, ComponentContext component) {
        this.component = component;
        checked = CHECK.check(properties);
        report(checked, "its default is used until the file is corrected");
        startWith(checked.config());
    }

    private static void report(ConfigCheck.Checked<Config> c, String whatIsDone) {
        c.errors().forEach(p -> log.error("{}; {}", p, whatIsDone));
        c.unknownKeys().forEach(p -> log.warn("{}", p));
    }

    /**
     * A changed file: a wrong value changes nothing (one line says what); a right one applies to the event
     * thread's restarts at once, while a change of how arrivals are noticed (hotplug, sysfs.poll.ms) starts
     * the backend again, as Declarative Services did for every change before the file was checked.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        ConfigCheck.Checked<Config> next = CHECK.check(properties);
        report(next, "the libusb backend keeps running on its last good configuration");
        if (!next.valid()) {
            return;
        }
        List<String> changes = checked == null ? List.of() : next.changedFrom(checked);
        checked = next;
        if (changes.isEmpty()) {
            return;
        }
        boolean restart = changes.stream().anyMatch(c -> c.startsWith("hotplug ") || c.startsWith("sysfs.poll.ms "));
        config = next.config();
        log.info("libusb configuration changed in {}: {}{}", ConfigCheck.file(properties), String.join(", ", changes),
                restart ? "; the backend starts again with it" : "");
        if (restart && component != null) {
            // not on this thread: SCR's disable waits for the modification under way, which is this call
            String name = (String) component.getProperties().get("component.name");
            Thread t = new Thread(() -> {
                component.disableComponent(name);
                component.enableComponent(name);
            }, "usb-libusb-restart");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * With a configuration already checked. Not named activate: Declarative Services would take an
     * activate(Config) overload for the activation method and hand it a Config of its own.
     */
    void startWith(Config config) {
        this.config = config;
        if (!Files.isDirectory(paths.deviceNodes())) {
            log.info("no USB device nodes at {}: the real USB bus is not available here; running without it",
                    paths.deviceNodes());
            return;
        }
        mode = mode(config.hotplug());
        lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "usb-libusb-lifecycle");
            t.setDaemon(true);
            return t;
        });
        if (mode == Mode.SYSFS) {
            watcher = new SysfsWatcher(paths.sysfsDevices(), config.sysfs_poll_ms(),
                    change -> later(() -> sysfsChanged(change)));
            // before the anchor lists devices: one that appears meanwhile is reported as an arrival, not missed
            watcher.snapshot();
        }
        boolean started;
        try {
            started = onLifecycle(this::startAnchor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started = false;
        }
        if (!started) {
            watcher = null;
            lifecycle.shutdownNow();
            lifecycle = null;
            return;
        }
        if (watcher != null) {
            watcher.start();
        }
        int present;
        synchronized (registry) {
            present = devices.size();
        }
        log.info("libusb {} ready ({}), {} device(s) present", version(), describeMode(), present);
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
        synchronized (registry) {
            listeners.add(listener);
            devices.values().forEach(listener::arrived);
        }
    }

    @Override
    public void stop(BackendListener listener) {
        listeners.remove(listener);
    }

    /**
     * The shutdown order libusb 1.0.22 survives. With every event thread still running: no new handle
     * (the devices are let go), the users get a moment to close theirs, then the backend closes what is
     * left itself (streams cancelled, their transfers back and freed, then the handles). Then per context
     * its event thread, then the context; the anchor last. A context something still holds (a synchronous
     * call that has not ended) is left open rather than exited under it, and the anchor with it: libusb
     * reads its default context from any thread.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        if (watcher != null) {
            watcher.stop();
            watcher = null;
        }
        if (lifecycle == null) {
            return;
        }
        onLifecycle(() -> {
            closing = true;
            List<LibUsbContext> all = contexts();
            List<LibUsbDevice> gone;
            synchronized (registry) {
                extras.clear();
                gone = List.copyOf(devices.values());
                devices.clear();
            }
            gone.forEach(LibUsbDevice::dispose);
            // A handle closed after its context was exited is freed memory: sessions the core is ending now
            // get a moment, with the event threads still running for their streams to finish cancelling.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(handlesCloseWaitMs);
            for (LibUsbContext c : all) {
                c.connections().awaitIdle(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORCED_CLOSE_WAIT_MS);
            for (LibUsbContext c : all) {
                if (!c.connections().idle()) {
                    c.closeAll(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
            boolean allExited = true;
            for (LibUsbContext c : all) {
                if (!c.anchor() && !exit(c)) {
                    allExited = false;
                    c.abandon();
                }
            }
            LibUsbContext a = anchor;
            if (a != null) {
                Runnable deregister = () -> {
                    if (hotplug != null) {
                        LibUsb.hotplugDeregisterCallback(a.context(), hotplug);
                        hotplug = null;
                    }
                };
                if (!allExited || !exit(a, deregister)) {
                    log.error("libusb is left initialised: a context could not be exited (see above)");
                    a.abandon();
                    deregister.run();
                }
                anchor = null;
            }
            return true;
        });
        lifecycle.shutdownNow();
        lifecycle.awaitTermination(5, TimeUnit.SECONDS);
        lifecycle = null;
    }

    /** Contexts created so far: the anchor, plus one per generation of arrivals without udevd. */
    int contextsCreated() {
        return contextsCreated.get();
    }

    int contextsExited() {
        return contextsExited.get();
    }

    /** The contexts alive now, anchor first. */
    List<LibUsbContext> contexts() {
        List<LibUsbContext> all = new ArrayList<>();
        LibUsbContext a = anchor;
        if (a != null) {
            all.add(a);
        }
        synchronized (registry) {
            all.addAll(extras);
        }
        return all;
    }

    /** The anchor's event thread. */
    LibUsbEventThread eventThread() {
        LibUsbContext a = anchor;
        return a == null ? null : a.events();
    }

    List<LibUsbEventThread> eventThreads() {
        return contexts().stream().map(LibUsbContext::events).filter(e -> e != null).toList();
    }

    int openConnections() {
        return contexts().stream().mapToInt(c -> c.connections().count()).sum();
    }

    private boolean startAnchor() {
        LibUsbContext a;
        try {
            a = LibUsbContext.init(contextsCreated.get() + 1, true);
        } catch (LibUsbException e) {
            log.error("libusb failed to initialise: {}; the real USB bus is not available",
                    LibUsb.strError(e.getErrorCode()));
            return false;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.error("libusb could not be loaded ({}); the real USB bus is not available", e.toString());
            return false;
        }
        contextsCreated.incrementAndGet();
        anchor = a;
        a.connections().onUnplugged(this::lookAtSysfsSoon);
        if (mode == Mode.UDEV && LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG)) {
            HotplugCallbackHandle handle = new HotplugCallbackHandle();
            int r = LibUsb.hotplugRegisterCallback(a.context(),
                    LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED | LibUsb.HOTPLUG_EVENT_DEVICE_LEFT, LibUsb.HOTPLUG_ENUMERATE,
                    LibUsb.HOTPLUG_MATCH_ANY, LibUsb.HOTPLUG_MATCH_ANY, LibUsb.HOTPLUG_MATCH_ANY,
                    (c, device, event, data) -> {
                        if (event == LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED) {
                            describe(device, a).ifPresent(this::register);
                        } else {
                            LibUsbDevice d;
                            synchronized (registry) {
                                d = devices.get(device);
                            }
                            if (d != null) {
                                remove(d);
                            }
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
            list(a, null).forEach(this::register);
        }
        a.startEvents(config.event_thread_restart_ms());
        return true;
    }

    /**
     * The devices the context lists at the wanted bus addresses (all when null), described; freed from the
     * list, referenced by the descriptions.
     */
    private List<LibUsbDevice> list(LibUsbContext c, BiPredicate<Integer, Integer> wantedAt) {
        List<LibUsbDevice> result = new ArrayList<>();
        DeviceList list = new DeviceList();
        int n = LibUsb.getDeviceList(c.context(), list);
        if (n < 0) {
            log.error("libusb could not list devices: {}", LibUsb.strError(n));
            return result;
        }
        try {
            for (Device d : list) {
                if (wantedAt == null || wantedAt.test(LibUsb.getBusNumber(d), LibUsb.getDeviceAddress(d))) {
                    describe(d, c).ifPresent(result::add);
                }
            }
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
        return result;
    }

    private Optional<LibUsbDevice> describe(Device device, LibUsbContext home) {
        try {
            return Optional.of(new LibUsbDevice(device, home));
        } catch (UsbException e) {
            log.warn("ignoring a USB device libusb could not describe: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void register(LibUsbDevice d) {
        synchronized (registry) {
            if (devices.putIfAbsent(d.device(), d) == null) {
                d.home().add(d);
                listeners.forEach(l -> l.arrived(d));
                return;
            }
        }
        d.dispose();
    }

    private void remove(LibUsbDevice d) {
        LibUsbContext home = d.home();
        synchronized (registry) {
            if (!devices.remove(d.device(), d)) {
                return;
            }
            home.remove(d);
            listeners.forEach(l -> l.left(d));
            d.dispose();
        }
        if (home.unused()) {
            later(() -> retireIfUnused(home));
        }
    }

    private void lookAtSysfsSoon() {
        SysfsWatcher w = watcher;
        if (w != null) {
            w.lookSoon();
        }
    }

    private LibUsbDevice find(int bus, int address) {
        synchronized (registry) {
            return devices.values().stream().filter(d -> d.bus() == bus && d.address() == address).findFirst()
                    .orElse(null);
        }
    }

    /** On the lifecycle thread, in the order the watcher saw the changes. */
    private void sysfsChanged(SysfsWatcher.Change change) {
        if (closing) {
            return;
        }
        for (SysfsWatcher.Entry e : change.left().values()) {
            Wanted w = wanted.get(e.name());
            if (w != null && w.entry().equals(e)) {
                wanted.remove(e.name());
            }
            LibUsbDevice d = find(e.bus(), e.address());
            if (d != null) {
                remove(d);
            }
        }
        long now = System.nanoTime();
        for (SysfsWatcher.Entry e : change.arrived().values()) {
            if (find(e.bus(), e.address()) == null) {
                wanted.put(e.name(), new Wanted(e, 0, now));
            }
        }
        if (!change.arrived().isEmpty()) {
            // queued behind changes already waiting, so that a burst of arrivals shares one context
            later(this::lookForWanted);
        }
    }

    /** Opens one context for every wanted device that is due, and plans the next look for the others. */
    private void lookForWanted() {
        if (closing) {
            return;
        }
        long now = System.nanoTime();
        List<Wanted> due = wanted.values().stream().filter(w -> w.dueNanos() - now <= 0).toList();
        if (!due.isEmpty()) {
            openGeneration(due);
        }
        if (nextLook != null) {
            nextLook.cancel(false);
            nextLook = null;
        }
        wanted.values().stream().mapToLong(Wanted::dueNanos).min().ifPresent(at -> nextLook = later(
                this::lookForWanted, Math.max(0, at - System.nanoTime())));
    }

    private void openGeneration(List<Wanted> due) {
        String names = due.stream().map(w -> w.entry().name()).sorted().collect(Collectors.joining(", "));
        LibUsbContext c;
        try {
            c = LibUsbContext.init(contextsCreated.get() + 1, false);
        } catch (LibUsbException e) {
            log.warn("libusb refused a context to see USB device(s) {}: {}", names, LibUsb.strError(e.getErrorCode()));
            lookAgain(due);
            return;
        }
        contextsCreated.incrementAndGet();
        // any wanted device, due or not: one the context happens to list needs no context of its own later
        List<LibUsbDevice> found = list(c, (bus, address) -> wanted(bus, address) != null);
        for (LibUsbDevice d : found) {
            wanted.remove(wanted(d.bus(), d.address()).entry().name());
        }
        lookAgain(due.stream().filter(w -> wanted.containsKey(w.entry().name())).toList());
        if (found.isEmpty()) {
            exit(c);
            return;
        }
        c.connections().onIdle(() -> later(() -> retireIfUnused(c)));
        c.connections().onUnplugged(this::lookAtSysfsSoon);
        c.startEvents(config.event_thread_restart_ms());
        synchronized (registry) {
            extras.add(c);
        }
        found.forEach(this::register);
        log.info("USB device(s) {} arrived; libusb context #{} opened for them (without udevd a context lists only"
                + " the devices present when it starts)", found.stream().map(LibUsbDevice::describe)
                        .collect(Collectors.joining(", ")), c.number());
        // every device found was known already: nothing else would retire the context
        if (c.unused()) {
            retireIfUnused(c);
        }
    }

    private Wanted wanted(int bus, int address) {
        return wanted.values().stream().filter(w -> w.entry().bus() == bus && w.entry().address() == address)
                .findFirst().orElse(null);
    }

    private void lookAgain(Collection<Wanted> missing) {
        long now = System.nanoTime();
        for (Wanted w : missing) {
            int looks = w.looks() + 1;
            SysfsWatcher.Entry e = w.entry();
            if (looks >= LOOKS) {
                wanted.remove(e.name());
                log.warn("USB device {} (bus {}, address {}) is in {} but libusb has not listed it in {} fresh"
                        + " contexts; it is ignored until it is plugged in again", e.name(), e.bus(), e.address(),
                        paths.sysfsDevices(), looks);
            } else {
                long wait = config.sysfs_poll_ms() << (looks - 1);
                log.debug("USB device {} is in sysfs but not yet in libusb's list; looking again in {} ms",
                        e.name(), wait);
                wanted.put(e.name(), new Wanted(e, looks, now + TimeUnit.MILLISECONDS.toNanos(wait)));
            }
        }
    }

    /** On the lifecycle thread: an extra context whose devices left and whose handles closed is exited. */
    private void retireIfUnused(LibUsbContext c) {
        if (closing || c.exited() || !c.unused()) {
            return;
        }
        synchronized (registry) {
            if (!extras.remove(c)) {
                return;
            }
        }
        if (!exit(c)) {
            synchronized (registry) {
                extras.add(c); // still there for the health check to see its stuck event thread
            }
        }
    }

    private boolean exit(LibUsbContext c) {
        return exit(c, () -> {
        });
    }

    private boolean exit(LibUsbContext c, Runnable afterEventsStopped) {
        try {
            if (c.exit(afterEventsStopped)) {
                contextsExited.incrementAndGet();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private <T> T onLifecycle(Callable<T> task) throws InterruptedException {
        try {
            return lifecycle.submit(task).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void later(Runnable task) {
        later(task, 0);
    }

    private ScheduledFuture<?> later(Runnable task, long delayNanos) {
        ScheduledExecutorService l = lifecycle;
        if (l == null) {
            return null;
        }
        try {
            return l.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("libusb lifecycle task failed: {}", e.toString(), e);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the backend is stopping; it exits every context itself
        }
    }

    private static String version() {
        org.usb4java.Version v = LibUsb.getVersion();
        return v.major() + "." + v.minor() + "." + v.micro();
    }

    /**
     * Health for the service watchdog: progress counts the moments by which every event thread has gone
     * round again since the last (each goes round at least twice a second), so one stuck thread among many
     * stops it; unhealthy when any event thread is dead. "idle" without USB, where there is none to watch.
     */
    @Override
    public Health health() {
        List<LibUsbEventThread> threads = eventThreads();
        if (threads.isEmpty()) {
            return new Health(true, true, 0, "no USB bus", Map.of());
        }
        long progress;
        synchronized (roundsAtSweep) {
            boolean all = true;
            for (LibUsbEventThread t : threads) {
                Long before = roundsAtSweep.get(t);
                if (before != null && before == t.rounds()) {
                    all = false;
                }
            }
            if (all) {
                sweeps++;
                roundsAtSweep.clear();
                threads.forEach(t -> roundsAtSweep.put(t, t.rounds()));
            } else {
                roundsAtSweep.keySet().retainAll(threads);
            }
            progress = sweeps;
        }
        List<String> dead = threads.stream().filter(t -> !t.isAlive()).map(LibUsbEventThread::name).toList();
        int restarts = threads.stream().mapToInt(LibUsbEventThread::restarts).sum();
        String status = !dead.isEmpty() ? "libusb event thread(s) not running: " + String.join(", ", dead)
                : restarts > 0 ? "libusb event thread restarted " + restarts + " time(s)"
                        : "libusb events ok (" + threads.size() + " context(s))";
        return new Health(dead.isEmpty(), false, progress, status, Map.of());
    }
}
