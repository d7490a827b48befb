package org.usblogd.usb.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.Range;
import org.usblogd.api.driver.DeviceMatch;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.health.Health;
import org.usblogd.api.health.HealthCheck;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.store.SampleRecorder;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.DeviceSettings;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.UsbBackend;

/**
 * The one thread that decides which driver runs on which device. Everything that can change a binding
 * (a device arriving or leaving, a driver or backend coming or going, a session ending) becomes an event
 * in one queue, so the registry needs no locks and decisions happen in order.
 */
@Component(configurationPid = DeviceManager.PID, immediate = true, service = HealthCheck.class,
        property = HealthCheck.PART + "=device-manager")
@Designate(ocd = DeviceManager.Config.class)
public class DeviceManager implements HealthCheck {
    static final String PID = "org.usblogd.usb";
    private static final Logger log = LoggerFactory.getLogger(DeviceManager.class);
    private static final ConfigCheck<Config> CHECK = CoreConfigRules.CHECK;

    @ObjectClassDefinition(name = "usblogd USB core", description = "Binding devices to drivers")
    public @interface Config {
        @AttributeDefinition(description = "First wait before retrying a device whose session failed (ms)")
        @Range(min = 10, max = 3_600_000)
        long retry_initial_ms() default 1_000;

        @AttributeDefinition(description = "Longest wait between retries of a failing device (ms)")
        @Range(min = 10, max = 86_400_000)
        long retry_max_ms() default 300_000;

        @AttributeDefinition(description = "How long a stopping session may take before it is abandoned (ms)")
        @Range(min = 100, max = 600_000)
        long session_stop_timeout_ms() default 5_000;

        @AttributeDefinition(description = "A bound device is stale when it delivers nothing for this many of"
                + " its periods (learned from its reports)")
        @Range(min = 2, max = 1_000_000)
        long stale_multiple() default 10;

        @AttributeDefinition(description = "... but never before this much silence (ms)")
        @Range(min = 100, max = 86_400_000)
        long stale_min_ms() default 30_000;

        @AttributeDefinition(description = "Silence allowed before the device's period is known (ms)")
        @Range(min = 100, max = 86_400_000)
        long stale_first_ms() default 120_000;

        @AttributeDefinition(description = "Stop the systemd watchdog keep-alives, so that systemd restarts the"
                + " daemon, while a device is still stale after it was reopened and reset")
        boolean stale_restart() default false;

        @AttributeDefinition(description = "How long a device must deliver before its recovery ladder starts from"
                + " the bottom again (ms)")
        @Range(min = 0, max = 86_400_000)
        long recovery_healthy_ms() default 10_000;

        @AttributeDefinition(description = "How long the core keeps a device whose driver was swapped out open,"
                + " claimed and read, for the next driver to take over without losing what it sent (ms; 0: give"
                + " it back at once)")
        @Range(min = 0, max = 600_000)
        long swap_grace_ms() default 5_000;

        @AttributeDefinition(description = "Most bytes a device's transfers read during a driver swap may take;"
                + " beyond that the oldest are dropped and counted (swap.dropped)")
        @Range(min = 1_024, max = 268_435_456)
        long swap_buffer_bytes() default 1_048_576;
    }

    private sealed interface Event {
    }

    private record BackendAdded(UsbBackend backend) implements Event {
    }

    private record BackendRemoved(UsbBackend backend) implements Event {
    }

    private record Arrived(UsbBackend backend, BackendDevice device) implements Event {
    }

    private record Left(BackendDevice device) implements Event {
    }

    private record DriversChanged() implements Event {
    }

    private record SettingsChanged() implements Event {
    }

    private record SessionEnded(SessionRunner runner, String error) implements Event {
    }

    private record Shutdown() implements Event {
    }

    private record PolicyChanged(DeviceSupervisor.Policy policy) implements Event {
    }

    /** What the manager knows of one attached device. Touched only by the manager thread. */
    private static final class Attached {
        final UsbBackend backend;
        final BackendDevice device;
        final UsbDeviceInfo info;
        final DeviceIdentity identity;
        final DeviceSupervisor supervisor;
        final DeviceTime time;
        SessionRunner session;
        /** What was last recorded about why the device has no session, so that it is recorded once. */
        String idleReason;
        /** While the device's driver is swapped: the device, still open and read, for the next session. */
        SwapBridge bridge;
        /** When the bridge was parked, and the driver whose session handed it over. */
        long bridgeSince;
        DriverRef bridgeFrom;
        /** When the running session was asked to hand over (monotonic ns). */
        long handOverAt;

        Attached(UsbBackend backend, BackendDevice device, DeviceIdentity identity, DeviceSupervisor supervisor,
                DeviceTime time) {
            this.backend = backend;
            this.device = device;
            this.info = device.info();
            this.identity = identity;
            this.supervisor = supervisor;
            this.time = time;
        }
    }

    /** Events waiting for the manager; a manager that stops taking them is unhealthy long before this fills. */
    private static final int EVENT_CAPACITY = 10_000;
    /**
     * Devices that left, kept for when they come back (a reset re-enumerates some; a replug is a moment): their
     * place on the recovery ladder, their learned period and their sample times go on where they were.
     */
    private static final int DEPARTED_KEPT = 256;

    private record Departed(DeviceSupervisor supervisor, DeviceTime time) {
    }

    /**
     * A session asked to hand over lets its driver finish the transfer under way; one still in it after this
     * long (a quiet endpoint read with a long timeout) is stopped outright, and its device given back, as
     * without a bridge, rather than be abandoned at the stop timeout.
     */
    private static final long HAND_OVER_WAIT_MS = 1_000;

    private final SampleRecorder recorder;
    /** The configuration the core runs on: the last one that was valid (at start, bad values took defaults). */
    private volatile Config config;
    private ConfigCheck.Checked<Config> checked;
    private final LongSupplier nanos;
    private final LongSupplier wallMicros;
    /** Where the device settings files are received from; null when a test hands them in itself. */
    private BundleContext context;
    private ServiceRegistration<ManagedServiceFactory> files;
    /** Read and replaced by the manager thread only. */
    private DeviceSupervisor.Policy policy;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    /** Set while a DriversChanged or SettingsChanged event waits, so that a burst of changes is one event. */
    private final AtomicBoolean driversChangedQueued = new AtomicBoolean();
    private final AtomicBoolean settingsChangedQueued = new AtomicBoolean();
    private final Map<Long, DriverRef> drivers = new ConcurrentHashMap<>();
    private final List<DeviceConfiguration> configurations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<UsbBackend, BackendListener> listeners = new IdentityHashMap<>();
    private final Map<BackendDevice, Attached> attached = new IdentityHashMap<>();
    private final List<SessionRunner> stopping = new ArrayList<>();
    private final Map<String, Departed> departed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Departed> eldest) {
            return size() > DEPARTED_KEPT;
        }
    };
    /** Per device (its identity), the files last reported as all matching it: said once, across replugs. */
    private final Map<String, String> rivalsReported = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > DEPARTED_KEPT;
        }
    };
    private final Thread thread;
    /** Rounds of the manager loop, which wakes at least every second: a stuck manager stops counting. */
    private final AtomicLong rounds = new AtomicLong();
    private volatile int bound;
    /** Stale devices for STATUS, and those recovery could not bring back; written by the manager thread. */
    private volatile List<String> staleNow = List.of();
    private volatile List<String> staleAfterRecovery = List.of();

    /**
     * Takes the configuration as properties rather than as {@link Config}: Declarative Services would fail the
     * whole component on a value it cannot convert, and the core must not stop over a typo.
     */
    @Activate
    public DeviceManager(@Reference(name = "recorder") SampleRecorder recorder, Map<String, Object> properties,
            BundleContext context) {
        this(recorder, checkAtStart(properties), System::nanoTime, SampleSink::nowMicros);
        this.checked = CHECK.check(properties);
        this.context = context;
    }

    /** With a configuration already checked, and the system's clocks. */
    DeviceManager(SampleRecorder recorder, Config config) {
        this(recorder, config, System::nanoTime, SampleSink::nowMicros);
    }

    private static Config checkAtStart(Map<String, Object> properties) {
        ConfigCheck.Checked<Config> c = CHECK.check(properties);
        report(c, "its default is used until the file is corrected");
        return c.config();
    }

    private static void report(ConfigCheck.Checked<Config> c, String whatIsDone) {
        c.errors().forEach(p -> log.error("{}; {}", p, whatIsDone));
        c.unknownKeys().forEach(p -> log.warn("{}", p));
    }

    /**
     * A changed configuration file, applied without ending any session: checked first, and a file with a value
     * the core cannot use changes nothing (one line says what is wrong).
     */
    @Modified
    void modified(Map<String, Object> properties) {
        ConfigCheck.Checked<Config> next = CHECK.check(properties);
        report(next, "the USB core keeps running on its last good configuration");
        if (!next.valid()) {
            return;
        }
        List<String> changes = checked == null ? List.of() : next.changedFrom(checked);
        checked = next;
        config = next.config();
        post(new PolicyChanged(policy(next.config())));
        if (!changes.isEmpty()) {
            log.info("USB core configuration changed in {}: {}", ConfigCheck.file(properties),
                    String.join(", ", changes));
        }
    }

    private static DeviceSupervisor.Policy policy(Config config) {
        return new DeviceSupervisor.Policy(config.retry_initial_ms(), config.retry_max_ms(), config.stale_multiple(),
                config.stale_min_ms(), config.stale_first_ms(), config.recovery_healthy_ms(),
                config.session_stop_timeout_ms());
    }

    /** With the clocks injected: the monotonic one for every timer, the wall one for sample times only. */
    DeviceManager(SampleRecorder recorder, Config config, LongSupplier nanos, LongSupplier wallMicros) {
        this.recorder = recorder;
        this.config = config;
        this.nanos = nanos;
        this.wallMicros = wallMicros;
        this.policy = policy(config);
        this.thread = new Thread(this::loop, "usb-device-manager");
    }

    @Activate
    void activate() {
        thread.start();
        if (context != null) {
            files = context.registerService(ManagedServiceFactory.class,
                    new DeviceFiles(this, DriverSettings.of(context)::rules),
                    new Hashtable<>(Map.of(Constants.SERVICE_PID, DeviceConfiguration.FACTORY_PID)));
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (files != null) {
            files.unregister();
            files = null;
        }
        events.clear(); // nothing queued matters any more, and the shutdown must find room
        post(new Shutdown());
        thread.join(config.session_stop_timeout_ms() * 2 + 1_000);
        if (thread.isAlive()) {
            log.error("USB device manager did not stop in time; sessions may still hold devices");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(UsbBackend backend) {
        post(new BackendAdded(backend));
    }

    void unbindBackend(UsbBackend backend) {
        post(new BackendRemoved(backend));
    }

    private void post(Event e) {
        if (!events.offer(e)) {
            log.error("USB device manager is not taking its events ({} wait); {} is lost and the watchdog will"
                    + " restart the daemon", events.size(), e);
        }
    }

    private void driversChanged() {
        if (driversChangedQueued.compareAndSet(false, true)) {
            post(new DriversChanged());
        }
    }

    private void settingsChanged() {
        if (settingsChangedQueued.compareAndSet(false, true)) {
            post(new SettingsChanged());
        }
    }

    /**
     * The reference only, the service fetched here: a driver whose component fails to activate is left out
     * with nothing more to say. Declarative Services has logged the failure for the driver's bundle and the
     * plugin monitor names the plugin, where Declarative Services fetching it for this method added two
     * warnings of the USB core's own.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedDriver")
    void bindDriver(ServiceReference<Driver> ref) {
        Driver driver = context.getService(ref);
        if (driver == null) {
            log.debug("driver service {} left out: its component did not activate", ref.getProperty("service.id"));
            return;
        }
        try {
            addDriver(toRef(driver, ref));
        } catch (RuntimeException | LinkageError e) {
            context.ungetService(ref); // a driver that cannot say its name or table is not held
            throw e;
        }
    }

    /** A device settings file, from {@link DeviceFiles}. */
    void bindConfiguration(DeviceConfiguration configuration) {
        configurations.add(configuration);
        reportOverlaps(configuration);
        settingsChanged();
    }

    /** The file was edited: its settings were replaced in place (or kept, when the edit was wrong). */
    void updatedConfiguration(DeviceConfiguration configuration) {
        reportOverlaps(configuration);
        settingsChanged();
    }

    private void reportOverlaps(DeviceConfiguration configuration) {
        for (DeviceConfiguration other : configurations) {
            String overlap = configuration.overlap(other);
            if (overlap != null) {
                log.warn("{}", overlap);
            }
        }
    }

    void unbindConfiguration(DeviceConfiguration configuration) {
        configurations.remove(configuration);
        settingsChanged();
    }

    /**
     * New service properties may come with new configured match rows. Only the reference is taken here and
     * in unbind: SCR would otherwise fetch the service object, and fetching one whose activation never
     * returned waits for ever (the framework's service registry waits for the first getter, without a
     * timeout), which would freeze the caller: a plugin update, or the framework stopping.
     */
    void updatedDriver(ServiceReference<Driver> ref) {
        DriverRef known = drivers.get((Long) ref.getProperty("service.id"));
        if (known != null) {
            addDriver(toRef(known.driver(), ref));
        }
    }

    void unbindDriver(ServiceReference<Driver> ref) {
        long id = (Long) ref.getProperty("service.id");
        boolean held = drivers.containsKey(id);
        removeDriver(id);
        if (held) {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the USB core's bundle is stopping: the framework releases what it holds
            }
        }
    }

    void addDriver(DriverRef driver) {
        drivers.put(driver.serviceId(), driver);
        driversChanged();
    }

    void removeDriver(long serviceId) {
        drivers.remove(serviceId);
        driversChanged();
    }

    private static DriverRef toRef(Driver driver, ServiceReference<Driver> ref) {
        Object ranking = ref.getProperty("service.ranking");
        Bundle bundle = ref.getBundle();
        Version version = bundle == null ? Version.emptyVersion : bundle.getVersion();
        String name;
        try {
            name = driver.name();
        } catch (RuntimeException e) {
            name = String.valueOf(ref.getProperty("component.name"));
        }
        return new DriverRef(driver, name, ranking instanceof Integer r ? r : 0, version,
                (Long) ref.getProperty("service.id"), matchTable(driver, name, bundle), configuration(ref));
    }

    /** The service properties a configuration file gives a driver (none for a driver without one). */
    private static Map<String, String> configuration(ServiceReference<Driver> ref) {
        Map<String, String> c = new java.util.TreeMap<>();
        if (ref.getProperty("felix.fileinstall.filename") == null) {
            return c;
        }
        for (String key : ref.getPropertyKeys()) {
            Object v = ref.getProperty(key);
            if (!key.startsWith("service.") && !key.startsWith("component.") && !key.equals("objectClass")
                    && v != null) {
                c.put(key, v instanceof Object[] a ? java.util.Arrays.deepToString(a) : String.valueOf(v));
            }
        }
        return c;
    }

    /** The driver's rows from its bundle's manifest, then those from its configuration. A bad row is skipped. */
    private static List<DeviceMatch> matchTable(Driver driver, String name, Bundle bundle) {
        List<DeviceMatch> table = new ArrayList<>();
        BundleRevision revision = bundle == null ? null : bundle.adapt(BundleRevision.class);
        if (revision != null) {
            for (BundleCapability c : revision.getDeclaredCapabilities(DeviceMatch.NAMESPACE)) {
                if (!name.equals(c.getAttributes().get(DeviceMatch.DRIVER))) {
                    continue;
                }
                try {
                    table.add(DeviceMatch.fromAttributes(c.getAttributes()));
                } catch (IllegalArgumentException e) {
                    log.error("plugin {}: match row {} of driver {} ignored: {}", bundle.getSymbolicName(),
                            c.getAttributes(), name, e.getMessage());
                }
            }
        }
        try {
            table.addAll(driver.configuredMatches());
        } catch (RuntimeException | LinkageError e) {
            log.error("driver {}: its configured match rows are ignored: {}", name, e.toString());
        }
        return table;
    }

    private void loop() {
        try {
            while (true) {
                Event e = events.poll(Math.max(1, Math.min(1_000, untilNext())), TimeUnit.MILLISECONDS);
                rounds.incrementAndGet();
                if (e instanceof Shutdown) {
                    shutdown();
                    return;
                }
                if (e != null) {
                    handle(e);
                }
                abandonHungSessions();
                stopSlowHandOvers();
                endUntakenBridges();
                supervise();
                bindIdleDevices();
                bound = (int) attached.values().stream().filter(a -> a.session != null).count();
                staleNow = attached.values().stream().filter(a -> a.supervisor.silent()).map(a -> a.identity.key())
                        .toList();
                staleAfterRecovery = attached.values().stream().filter(a -> a.supervisor.gaveUp())
                        .map(a -> a.identity.key()).toList();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
        } catch (RuntimeException | Error e) {
            log.error("USB device manager failed; devices are no longer bound", e);
            throw e;
        }
    }

    private void handle(Event event) {
        if (event instanceof BackendAdded e) {
            startBackend(e.backend());
        } else if (event instanceof BackendRemoved e) {
            stopBackend(e.backend());
        } else if (event instanceof Arrived e) {
            arrived(e.backend(), e.device());
        } else if (event instanceof Left e) {
            left(e.device());
        } else if (event instanceof DriversChanged) {
            driversChangedQueued.set(false);
            // an idle device's reason is said again only when it changes: not for every driver that comes or
            // goes (at every stop, each plugin's drivers leave one by one; real root hubs are never driven)
            rebindWhereDriversChanged();
            // a file added for a device that is already driven: the device keeps its driver, the user learns why
            attached.values().stream().filter(a -> a.session != null && !a.supervisor.stopping())
                    .forEach(a -> reportRivals(a, a.session.driver()));
        } else if (event instanceof SettingsChanged) {
            settingsChangedQueued.set(false);
            restartWhereSettingsChanged();
        } else if (event instanceof SessionEnded e) {
            sessionEnded(e.runner(), e.error());
        } else if (event instanceof PolicyChanged e) {
            policy = e.policy();
            attached.values().forEach(a -> a.supervisor.policy(policy));
            departed.values().forEach(d -> d.supervisor().policy(policy));
        }
    }

    private void startBackend(UsbBackend backend) {
        BackendListener listener = new BackendListener() {
            @Override
            public void arrived(BackendDevice device) {
                post(new Arrived(backend, device));
            }

            @Override
            public void left(BackendDevice device) {
                post(new Left(device));
            }
        };
        listeners.put(backend, listener);
        try {
            backend.start(listener);
            log.info("USB backend '{}' started", backend.name());
        } catch (RuntimeException e) {
            log.error("USB backend {} failed to start: {}", backend, e.toString(), e);
        }
    }

    private void stopBackend(UsbBackend backend) {
        BackendListener listener = listeners.remove(backend);
        if (listener != null) {
            try {
                backend.stop(listener);
            } catch (RuntimeException e) {
                log.warn("USB backend {} failed to stop: {}", backend, e.toString());
            }
        }
        for (Attached a : new ArrayList<>(attached.values())) {
            if (a.backend == backend) {
                left(a.device);
            }
        }
    }

    private void arrived(UsbBackend backend, BackendDevice device) {
        if (attached.containsKey(device)) {
            return;
        }
        UsbDeviceInfo info = device.info();
        DeviceIdentity bySerial = DeviceIdentity.of(info);
        // Two devices claiming the same serial number are told apart by where they are plugged in.
        DeviceIdentity identity = attached.values().stream().anyMatch(a -> a.identity.sameDeviceAs(bySerial))
                ? DeviceIdentity.byPort(info)
                : bySerial;
        Departed before = departed.remove(identity.key());
        Attached a = before != null ? new Attached(backend, device, identity, before.supervisor(), before.time())
                : new Attached(backend, device, identity, new DeviceSupervisor(policy, nanos),
                        new DeviceTime(wallMicros, nanos));
        attached.put(device, a);
        log.info("device attached: {} on {} bus, id {}", info, backend.name(), identity);
        recorder.deviceAttached(identity, info, backend.name());
    }

    private void left(BackendDevice device) {
        Attached a = attached.remove(device);
        if (a == null) {
            return;
        }
        log.info("device detached: {} ({})", a.identity, a.info);
        closeBridge(a);
        if (a.session != null) {
            a.session.stop();
            stopping.add(a.session);
            a.supervisor.sessionEnded(SessionOutcome.STOPPED, null);
        }
        departed.put(a.identity.key(), new Departed(a.supervisor, a.time));
        recorder.deviceDetached(a.identity);
    }

    /**
     * Ends sessions whose driver left, and sessions for which a better driver arrived (a higher score, or
     * the same score from a newer version); the device is bound again once the session has ended.
     */
    private void rebindWhereDriversChanged() {
        for (Attached a : attached.values()) {
            if (a.session == null || a.supervisor.stopping()) {
                continue;
            }
            DriverRef current = a.session.driver();
            if (!drivers.containsValue(current)) {
                DriverRef now = drivers.get(current.serviceId());
                log.info(now != null ? "{}: the configuration of driver {} changed; restarting its session"
                        : "{}: driver {} left; ending its session", a.identity, current);
                requestHandOver(a);
                continue;
            }
            DriverMatcher.best(drivers.values(), a.info).filter(m -> m.driver() != current).ifPresent(m -> {
                log.info("{}: driver {} is preferred over {}; switching", a.identity, m.driver(), current);
                requestHandOver(a);
            });
        }
    }

    /** Sessions whose device was disabled or got other settings end; the device is bound again with the new ones. */
    private void restartWhereSettingsChanged() {
        for (Attached a : attached.values()) {
            if (a.session == null || a.supervisor.stopping()) {
                continue;
            }
            if (!enabled(a.identity)) {
                log.info("{}: disabled by configuration; ending its session", a.identity);
                requestStop(a);
            } else if (!DeviceConfiguration.settingsFor(configurations, a.identity).equals(a.session.settings())) {
                log.info("{}: its settings changed; restarting its session with them", a.identity);
                requestStop(a);
            }
        }
    }

    /** The most specific configuration file that names the device decides; enabled when none does. */
    private boolean enabled(DeviceIdentity identity) {
        DeviceConfiguration decisive = null;
        for (DeviceConfiguration c : configurations) {
            int s = c.specificity(identity);
            if (s > 0 && (decisive == null || s > decisive.specificity(identity))) {
                decisive = c;
            }
        }
        return decisive == null || decisive.enabled();
    }

    private void idle(Attached a, String kind, String reason) {
        a.supervisor.leftIdle();
        if (reason.equals(a.idleReason)) {
            return;
        }
        a.idleReason = reason;
        log.info("{}: {}", a.identity, reason);
        recorder.event(a.identity, kind, reason);
    }

    private void requestStop(Attached a) {
        a.supervisor.stopRequested();
        a.session.stop();
    }

    /**
     * The session ends because its driver is swapped: the device stays open and claimed and is read on by a
     * swap bridge until the next driver's session takes it over (swap.grace.ms; 0 gives it back at once).
     */
    private void requestHandOver(Attached a) {
        if (config.swap_grace_ms() == 0) {
            requestStop(a);
            return;
        }
        a.supervisor.stopRequested();
        a.handOverAt = nanos.getAsLong();
        a.session.handOver();
    }

    /** What the bridge a device's next session may hand it to may do; null when swaps give the device back. */
    private SwapBridge.Terms swapTerms(DeviceIdentity identity) {
        if (config.swap_grace_ms() == 0) {
            return null;
        }
        return new SwapBridge.Terms(config.swap_grace_ms(), config.swap_buffer_bytes(), (kind, message) -> {
            log.warn("{}: {}", identity, message);
            recorder.event(identity, kind, message);
        });
    }

    private void stopSlowHandOvers() {
        for (Attached a : attached.values()) {
            if (a.session != null && a.session.handingOver()
                    && nanos.getAsLong() - a.handOverAt >= HAND_OVER_WAIT_MS * 1_000_000L) {
                log.info("{}: driver {} did not finish its transfer within {} ms of being swapped; its session is"
                        + " stopped and the device given back", a.identity, a.session.driver(), HAND_OVER_WAIT_MS);
                a.session.stop();
            }
        }
    }

    /**
     * Bridges no driver took within swap.grace.ms, and those of devices disabled meanwhile, end: the device is
     * given back (released, its kernel driver attached again) and what was read during the swap is dropped.
     */
    private void endUntakenBridges() {
        for (Attached a : attached.values()) {
            if (a.bridge == null) {
                continue;
            }
            boolean expired = nanos.getAsLong() - a.bridgeSince >= config.swap_grace_ms() * 1_000_000L;
            if (!expired && enabled(a.identity)) {
                continue;
            }
            long kept = a.bridge.kept();
            String message = (expired ? "no driver took the device within swap.grace.ms (" + config.swap_grace_ms()
                    + " ms) of driver " + a.bridgeFrom + " leaving" : "disabled during the swap of driver "
                    + a.bridgeFrom) + "; the device is given back"
                    + (kept > 0 ? " and the " + kept + " transfers read on " + a.bridge.endpoints()
                            + " meanwhile are dropped" : "");
            log.info("{}: {}", a.identity, message);
            recorder.event(a.identity, "swap.ended", message);
            closeBridge(a);
        }
    }

    private static void closeBridge(Attached a) {
        if (a.bridge != null) {
            a.bridge.close();
            a.bridge = null;
        }
    }

    /**
     * A session that does not end within the stop timeout (a driver hanging in close, say) is abandoned:
     * the core takes the device back from it (release, re-attach, close), closes its sink, resets the device
     * and binds it again. The hung thread is left behind and reported; it can no longer touch the device or
     * the store.
     */
    private void abandonHungSessions() {
        for (Attached a : attached.values()) {
            if (a.session == null || !a.supervisor.stopOverdue()) {
                continue;
            }
            SessionRunner hung = a.session;
            String message = "session of driver " + hung.driver() + " did not stop within "
                    + config.session_stop_timeout_ms() + " ms; abandoned (thread " + hung.threadName()
                    + " left behind), device reset and bound again";
            log.error("{}: {}", a.identity, message);
            recorder.event(a.identity, "session.abandoned", message);
            hung.abandon();
            a.session = null;
            a.supervisor.abandoned();
        }
    }

    /**
     * Lets each device's supervisor look at its running session: a device that stopped delivering climbs
     * the recovery ladder (its session is ended and opened again, then the device is reset, then it is
     * reported and, with stale.restart, the daemon declared unhealthy so systemd restarts it); its first
     * sample afterwards ends the episode.
     */
    private void supervise() {
        for (Attached a : attached.values()) {
            if (a.session == null) {
                continue;
            }
            DeviceSupervisor.Finding finding = a.supervisor.check();
            if (finding instanceof DeviceSupervisor.Speaking s) {
                String message = "delivering again after " + s.after();
                log.info("{}: {}", a.identity, message);
                recorder.event(a.identity, "device.recovered", message);
            } else if (finding instanceof DeviceSupervisor.Silent silent) {
                DeviceSupervisor.Step step = silent.step();
                String action = switch (step.rung()) {
                case REOPEN -> (step.troubles() == 1 ? "stale: " : "still stale: ") + step.why() + "; reopening it";
                case RESET -> "still stale after reopening: " + step.why() + "; resetting it";
                default -> "still stale after reopening and resetting: " + step.why() + (config.stale_restart()
                        ? "; watchdog keep-alives stop so that systemd restarts the daemon"
                        : "; left bound (set stale.restart = true to have systemd restart the daemon)");
                };
                log.warn("{}: {}", a.identity, action);
                recorder.event(a.identity, "device.stale", action);
                if (step.rung() != DeviceSupervisor.Rung.GIVE_UP) {
                    requestStop(a);
                }
            }
        }
    }

    private void sessionEnded(SessionRunner runner, String error) {
        stopping.remove(runner);
        SwapBridge bridge = runner.takeBridge();
        Attached a = attached.values().stream().filter(x -> x.session == runner).findFirst().orElse(null);
        if (a == null) {
            if (bridge != null) {
                bridge.close();
            }
            return; // the device left before its session finished
        }
        a.session = null;
        SessionOutcome outcome = runner.outcome();
        if (outcome == SessionOutcome.FAILED && !drivers.containsValue(runner.driver())) {
            // The driver's bundle went away under the session (an update): its classes fail as they unload.
            // That is the driver leaving, not the device failing: bind again at once, without backing off.
            log.info("{}: driver {} left while its session ran ({})", a.identity, runner.driver(), error);
            outcome = SessionOutcome.STOPPED;
        }
        if (bridge != null && outcome != SessionOutcome.STOPPED) {
            bridge.close(); // a driver that failed on its own: the device is given back before it is retried
        } else if (bridge != null) {
            a.bridge = bridge;
            a.bridgeSince = nanos.getAsLong();
            a.bridgeFrom = runner.driver();
            log.info("{}: driver {} swapped out; the device stays claimed and {} is read on for the next driver"
                    + " (up to {} ms)", a.identity, runner.driver(), bridge.endpoints(), config.swap_grace_ms());
        }
        DeviceSupervisor.Step step = a.supervisor.sessionEnded(outcome, error);
        if (step == null) {
            recorder.event(a.identity, "driver.unbound", "driver " + runner.driver() + " stopped");
            return;
        }
        String what = outcome == SessionOutcome.GONE ? "device gone" : "session failed";
        if (runner.failure() != null) {
            log.error("{}: {} ({}); retrying in {} ms", a.identity, what, error, step.waitMs(), runner.failure());
        } else {
            log.warn("{}: {} ({}); retrying in {} ms", a.identity, what, error, step.waitMs());
        }
        recorder.event(a.identity, outcome == SessionOutcome.GONE ? "device.gone" : "session.failed",
                "driver " + runner.driver() + ": " + error + "; retry in " + step.waitMs() + " ms");
        if (outcome == SessionOutcome.FAILED) {
            String how = step.rung() == DeviceSupervisor.Rung.REOPEN ? "reopening the device in " + step.waitMs() + " ms"
                    : step.rung() == DeviceSupervisor.Rung.RESET
                            ? "resetting the device and reopening it in " + step.waitMs() + " ms"
                            : "giving up for now; next attempt in " + step.waitMs() + " ms";
            if (step.rung() != DeviceSupervisor.Rung.REOPEN) {
                log.warn("{}: {} troubles in a row: {}", a.identity, step.troubles(), how);
            }
            recorder.event(a.identity, step.rung().event(), step.troubles() + " failure(s) in a row: " + how);
        }
    }

    private void bindIdleDevices() {
        for (Attached a : attached.values()) {
            if (a.session != null || !a.supervisor.mayOpen()) {
                continue;
            }
            if (!enabled(a.identity)) {
                idle(a, "device.disabled", "disabled by configuration (enabled = false); left alone");
                continue;
            }
            java.util.Optional<DriverMatcher.Match> match = DriverMatcher.best(drivers.values(), a.info);
            if (match.isEmpty()) {
                idle(a, "driver.none", "no installed driver takes " + a.info.vidPid()
                        + (a.info.product() == null ? "" : " (" + a.info.product() + ")") + ": no match row fits");
                continue;
            }
            DriverMatcher.Match m = match.get();
            a.idleReason = null;
            reportRivals(a, m.driver());
            log.info("{}: binding driver {} ({})", a.identity, m.driver(), m.reason());
            recorder.driverBound(a.identity, m.driver().name(), m.reason());
            DeviceSettings settings = DeviceConfiguration.settingsFor(configurations, a.identity);
            SessionSink sink = new SessionSink(a.identity.key(), ChannelMap.wrap(recorder.sink(a.identity), settings),
                    a.time, a.supervisor.watch());
            boolean reset = a.supervisor.takeReset();
            a.supervisor.sessionStarted();
            if (a.bridge != null && !a.bridgeFrom.name().equals(m.driver().name())) {
                // another family speaks another protocol and claims other interfaces: it starts from a device
                // given back, as after an unplug, and is never fed the previous family's transfers
                log.info("{}: driver {} replaces {}; the {} transfers read during the change are not for it",
                        a.identity, m.driver(), a.bridgeFrom, a.bridge.kept());
                closeBridge(a);
            }
            if (a.bridge != null) {
                log.info("{}: driver {} takes over from {}: {} transfers read during the swap first", a.identity,
                        m.driver(), a.bridgeFrom, a.bridge.kept());
            }
            a.session = new SessionRunner(a.device, a.identity, m.driver(), sink, settings, reset, a.bridge,
                    swapTerms(a.identity), (runner, error) -> post(new SessionEnded(runner, error)));
            a.bridge = null; // the session's link owns it now
            a.session.start();
        }
    }

    /** Two configuration files whose match keys both take the device: said once, naming both and the winner. */
    private void reportRivals(Attached a, DriverRef winner) {
        List<String> rivals = DriverMatcher.configuredRivals(drivers.values(), a.info, winner);
        String said = String.join(", ", rivals);
        if (rivals.isEmpty() || (winner.file() + " " + said).equals(rivalsReported.get(a.identity.key()))) {
            return;
        }
        rivalsReported.put(a.identity.key(), winner.file() + " " + said);
        String message = winner.file() + " and " + said + " all match " + a.identity + " ("
                + a.info.vidPid() + "); " + winner.name() + " from the first drives it: narrow the"
                + " others (match.serial, match.port) or remove them";
        log.warn("{}", message);
        recorder.event(a.identity, "config.overlap", message);
    }

    /** Milliseconds until a supervisor has something to decide. */
    private long untilNext() {
        long next = Long.MAX_VALUE;
        long now = nanos.getAsLong();
        for (Attached a : attached.values()) {
            next = Math.min(next, a.supervisor.untilNext());
            if (a.bridge != null) {
                next = Math.min(next, Math.max(0, a.bridgeSince + config.swap_grace_ms() * 1_000_000L - now));
            }
            if (a.session != null && a.session.handingOver()) {
                next = Math.min(next, Math.max(0, a.handOverAt + HAND_OVER_WAIT_MS * 1_000_000L - now));
            }
        }
        return next == Long.MAX_VALUE ? 60_000 : next / 1_000_000 + 1;
    }

    private void shutdown() {
        List<SessionRunner> all = new ArrayList<>(stopping);
        for (Attached a : attached.values()) {
            if (a.session != null) {
                all.add(a.session);
            }
        }
        all.forEach(SessionRunner::stop);
        long deadline = nanos.getAsLong() + config.session_stop_timeout_ms() * 1_000_000L;
        for (SessionRunner r : all) {
            try {
                if (!r.join(Math.max(1, (deadline - nanos.getAsLong()) / 1_000_000))) {
                    log.error("{}: session of driver {} did not stop within {} ms; abandoned", r.identity(),
                            r.driver(), config.session_stop_timeout_ms());
                    r.abandon();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        attached.values().forEach(DeviceManager::closeBridge); // a stopped runner closed the bridge it still held
        listeners.forEach((backend, listener) -> {
            try {
                backend.stop(listener);
            } catch (RuntimeException e) {
                log.warn("USB backend {} failed to stop: {}", backend.name(), e.toString());
            }
        });
        listeners.clear();
        for (Attached a : attached.values()) {
            recorder.deviceDetached(a.identity);
        }
        attached.clear();
        log.info("USB core stopped");
    }

    /**
     * Health for the service watchdog: the manager loop's progress, how many devices have a session, which
     * are stale, and unhealthy when (with stale.restart) recovery could not bring a stale device back.
     */
    @Override
    public Health health() {
        List<String> gaveUp = staleAfterRecovery;
        boolean staleKills = config.stale_restart() && !gaveUp.isEmpty();
        String status = !thread.isAlive() ? "device manager thread ended"
                : staleKills ? "still stale after reopen and reset: " + String.join(", ", gaveUp)
                : bound + " device(s) bound";
        return new Health(thread.isAlive() && !staleKills, false, rounds.get(), status,
                Map.of("devices", bound, "stale", String.join(", ", staleNow)));
    }
}
