package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;


import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.Range;
import org.usblogd.api.health.Health;
import org.usblogd.api.health.HealthCheck;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.status.Status;
import org.usblogd.api.status.StatusService;
import org.usblogd.api.store.Backlog;
import org.usblogd.api.store.DeviceRecord;
import org.usblogd.api.store.EventCount;
import org.usblogd.api.store.EventQuery;
import org.usblogd.api.store.ForwardSource;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.api.store.SampleRecorder;
import org.usblogd.api.store.SampleStore;
import org.usblogd.api.store.SourceChannel;
import org.usblogd.api.store.StoreException;
import org.usblogd.api.store.StoreListener;
import org.usblogd.api.store.StoreMonitor;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.store.StoredSummary;
import org.usblogd.api.store.Tier;
import org.usblogd.api.store.WriterFigures;
import org.usblogd.api.usb.DeviceIdentity;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.ForwardLog;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.Schema;
import org.usblogd.store.jdbc.SqlSampleStore;
import org.usblogd.store.jdbc.StatusReport;
import org.usblogd.store.jdbc.StoreLocation;

import com.zaxxer.hikari.HikariDataSource;

/** The embedded store: an H2 file in the state directory, pooled by HikariCP, written by one thread. */
@Component(service = { SampleRecorder.class, SampleStore.class, StatusService.class, StoreMonitor.class,
        HealthCheck.class, ForwardSource.class }, configurationPid = H2Store.PID,
        immediate = true, property = HealthCheck.PART + "=store-writer")
@Designate(ocd = H2Store.Config.class)
public class H2Store implements SampleRecorder, SampleStore, StatusService, StoreMonitor, HealthCheck,
        ForwardSource {
    static final String PID = "org.usblogd.store";
    /** Framework property the launcher sets to the state directory. */
    static final String STATE_PROPERTY = "usblogd.state";
    private static final Logger log = LoggerFactory.getLogger(H2Store.class);

    @ObjectClassDefinition(name = "usblogd store")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL; empty for the H2 file in the state directory. Another database"
                + " (jdbc:postgresql://...) also needs dataSourceFactory.target naming its driver class")
        String url() default "";

        @AttributeDefinition(description = "User for a JDBC URL")
        String user() default StoreLocation.USER;

        @AttributeDefinition(type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
                description = "Password for a JDBC URL")
        String password() default "";

        @AttributeDefinition(description = "Samples queued between the devices and the writer; when the writer"
                + " falls this far behind, the oldest are dropped and counted")
        @Range(min = 100, max = 100_000_000)
        int queue_capacity() default 100_000;

        @AttributeDefinition(description = "Most megabytes of samples held in memory while the database cannot be"
                + " written (a full disk, a lost server); beyond that the oldest are dropped and counted")
        @Range(min = 0, max = 1_048_576)
        long memory_mb() default 32;

        @AttributeDefinition(description = "Samples per compressed block of a channel")
        @Range(min = 16, max = 1_048_576)
        int block_samples() default 4_096;

        @AttributeDefinition(description = "Longest a channel's block stays open, in minutes: a block still filling"
                + " is written again whole at each commit, so a slow channel's block is closed this long after its"
                + " first sample")
        @Range(min = 1, max = 1_440)
        int block_minutes() default 10;

        @AttributeDefinition(description = "Longest time from a sample's arrival to its commit, when queries see"
                + " it (ms)")
        @Range(min = 10, max = 3_600_000)
        long visibility_ms() default 200;

        @AttributeDefinition(description = "Longest time between forcing the database to disk (ms): what a power"
                + " cut may lose (a killed daemon loses nothing committed)")
        @Range(min = 10, max = 86_400_000)
        long flush_interval_ms() default 1_000;

        @AttributeDefinition(description = "Days raw samples are kept (0: for ever); their minute and hour summaries"
                + " stay")
        @Range(min = 0, max = 36_500)
        long retention_raw_days() default 0;

        @AttributeDefinition(description = "Raw days per device or channel: 'DEVICE DAYS, DEVICE/CHANNEL DAYS'")
        String retention_raw_overrides() default "";

        @AttributeDefinition(description = "Days minute summaries are kept (0: for ever)")
        @Range(min = 0, max = 36_500)
        long retention_minute_days() default 0;

        @AttributeDefinition(description = "Days hour summaries are kept (0: for ever)")
        @Range(min = 0, max = 36_500)
        long retention_hour_days() default 0;

        @AttributeDefinition(description = "Most megabytes of samples and summaries (0: no limit); the oldest"
                + " summarised raw samples go first")
        @Range(min = 0)
        long retention_disk_mb() default 0;

        @AttributeDefinition(description = "Pause between maintenance passes when there is nothing to do (ms)")
        @Range(min = 100, max = 86_400_000)
        long maintenance_interval_ms() default 10_000;

        @AttributeDefinition(description = "How often the H2 file is compacted, right after a sync (ms); 0: never")
        @Range(min = 0)
        long compact_interval_ms() default 10_000;

        @AttributeDefinition(description = "How long stopping may take to write what is queued (ms)")
        @Range(min = 100, max = 600_000)
        long stop_timeout_ms() default 20_000;

        String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";
    }

    private final HikariDataSource pool;
    private final DatabaseServer server;
    private final StoreWriter writer;
    private final SqlSampleStore queries;
    private final ForwardLog forwardLog;
    private final Maintenance maintenanceWork;
    private final MaintenanceLoop maintenance;
    /** The configuration the store runs on: the last one that was valid (at start, bad values took defaults). */
    private volatile ConfigCheck.Checked<Config> config;
    /** The embedded database's place; null for a server. */
    private final StoreLocation location;
    private final Map<String, RecorderSink> sinks = new ConcurrentHashMap<>();
    private final ComponentContext component;
    private final BundleContext context;
    /** What is told of each commit (the HTTP API's live stream); the writer reads it at every commit. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<StoreListener> listeners = List.of();

    /**
     * Takes the configuration as properties rather than as {@link Config}: Declarative Services would fail the
     * whole component on a value it cannot convert, and this store must not stop logging over a typo.
     */
    @Activate
    public H2Store(@Reference(name = "dataSourceFactory") DataSourceFactory dsf, Map<String, Object> properties,
            BundleContext context, ComponentContext component) throws SQLException, IOException {
        this.component = component;
        this.context = context;
        this.config = StoreConfiguration.check(properties);
        StoreConfiguration.report(config, "its default is used until the file is corrected");
        Config config = this.config.config();
        String state = context.getProperty(STATE_PROPERTY);
        this.location = config.url().isBlank() ? new StoreLocation(Path.of(state == null ? "state" : state)) : null;
        StoreOpening.Opened opened = location != null ? StoreOpening.embedded(dsf, location)
                : StoreOpening.server(dsf, config.url(), config.user(), config.password());
        this.pool = opened.pool();
        DatabaseServer started = null;
        try {
            CompactionWindows windows = new CompactionWindows();
            started = location == null ? null : DatabaseServer.start(location);
            this.server = started;
            this.queries = new SqlSampleStore(pool);
            this.forwardLog = new ForwardLog(pool);
            this.writer = new StoreWriter(pool, new StoreWriter.Settings(config.queue_capacity(),
                    config.block_samples(), config.visibility_ms(), config.flush_interval_ms(),
                    config.memory_mb() * 1_048_576L, 10_000, 1_000, config.compact_interval_ms(),
                    config.block_minutes() * 60_000L), StoreClock.SYSTEM,
                    windows);
            writer.listeners(() -> listeners);
            if (location != null) {
                writer.databaseDirectory(location.directory());
                writer.highWaterMark(new HighWaterMark(location.highWaterFile()), opened.mark());
            }
            this.maintenanceWork = new Maintenance(pool, retention(config), StoreClock.SYSTEM::wallMicros,
                    (kind, message) -> writer.event(null, kind, message), windows);
            maintenanceWork.waitFor(forwardLog::awaited);
            this.maintenance = new MaintenanceLoop(maintenanceWork, config.maintenance_interval_ms());
        } catch (RuntimeException | Error e) {
            // a store that does not start leaves no pool and no listener behind: SCR may try again
            if (started != null) {
                started.stop();
            }
            pool.close();
            throw e;
        }
        writer.start();
        maintenance.start();
        writer.event(null, "daemon.started", "store opened");
        opened.rescued().ifPresent(message -> writer.event(null, "store.rescued", message));
        opened.rolledBack().ifPresent(message -> writer.event(null, "store.rollback", message));
        if (opened.upgradedFrom() > 0) {
            log.info("database upgraded from schema {} to {}; its samples stay readable where they are",
                    opened.upgradedFrom(), Schema.VERSION);
            writer.event(null, "store.upgraded", "schema " + opened.upgradedFrom() + " -> " + Schema.VERSION);
        }
        log.info("store open: {}", location != null ? location.databaseFile() : config.url());
    }

    private static RetentionPolicy retention(Config config) {
        return new RetentionPolicy(config.retention_raw_days(), config.retention_minute_days(),
                config.retention_hour_days(), config.retention_disk_mb() * 1_048_576L,
                RetentionPolicy.parseOverrides(config.retention_raw_overrides()));
    }

    /**
     * A changed configuration file, applied without closing the store: checked first, and a file with a value
     * the store cannot use changes nothing (one line says what is wrong).
     */
    @Modified
    void modified(Map<String, Object> properties) {
        ConfigCheck.Checked<Config> next = StoreConfiguration.check(properties);
        StoreConfiguration.report(next, "the store keeps running on its last good configuration");
        if (!next.valid()) {
            return;
        }
        List<String> changes = next.changedFrom(config);
        config = next;
        if (changes.isEmpty()) {
            return;
        }
        Config c = next.config();
        writer.timing(c.visibility_ms(), c.flush_interval_ms());
        maintenanceWork.policy(retention(c));
        maintenance.idleMs(c.maintenance_interval_ms());
        boolean reopen = !StoreConfiguration.atStart(changes).isEmpty();
        log.info("store configuration changed in {}: {}{}", ConfigCheck.file(properties), String.join(", ", changes),
                reopen ? "; the store closes and opens again with it" : "");
        if (reopen) {
            // the database, the pool or the writer's memory are made anew: as Declarative Services does for a
            // component without a modified method, but only once the new file is known to be right
            // not on this thread: SCR's disable waits for the modification under way, which is this call
            String name = (String) component.getProperties().get("component.name");
            Thread t = new Thread(() -> {
                component.disableComponent(name);
                component.enableComponent(name);
            }, "store-reopen");
            t.setDaemon(true);
            t.start();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        maintenance.stop();
        writer.event(null, "daemon.stopped", "store closing");
        boolean done = writer.stop(config.config().stop_timeout_ms());
        log.info("store closed: {} samples accepted, {} written, {} dropped{}", writer.accepted(), writer.written(),
                writer.dropped(), done ? "" : " (writer did not finish in time)");
        if (server != null) {
            server.stop();
        }
        pool.close();
        if (location != null && done) {
            StoreOpening.closed(location);
        }
    }

    @Override
    public void deviceAttached(DeviceIdentity device, UsbDeviceInfo info, String backend) {
        writer.attached(device.key(), info, backend, StoreClock.SYSTEM.wallMicros());
        writer.event(device.key(), "device.attached", info + " on " + backend);
    }

    @Override
    public void driverBound(DeviceIdentity device, String driver) {
        driverBound(device, driver, null);
    }

    @Override
    public void driverBound(DeviceIdentity device, String driver, String why) {
        writer.driverBound(device.key(), driver);
        writer.event(device.key(), "driver.bound", why == null ? driver : driver + ": " + why);
    }

    @Override
    public void deviceDetached(DeviceIdentity device) {
        sinks.remove(device.key()); // one that comes back declares its channels again
        writer.detached(device.key(), StoreClock.SYSTEM.wallMicros());
        writer.event(device.key(), "device.detached", null);
    }

    @Override
    public void event(DeviceIdentity device, String kind, String message) {
        writer.event(device == null ? null : device.key(), kind, message);
    }

    @Override
    public SampleSink sink(DeviceIdentity device) {
        return sinks.computeIfAbsent(device.key(), k -> new RecorderSink(k, writer));
    }

    @Override
    public long samples(SampleQuery query, Consumer<StoredSample> out) throws StoreException {
        return queries.samples(query, out);
    }

    @Override
    public long summaries(SampleQuery query, Tier tier, Consumer<StoredSummary> out) throws StoreException {
        return queries.summaries(query, tier, out);
    }

    @Override
    public List<DeviceRecord> devices() throws StoreException {
        return queries.devices();
    }

    @Override
    public Map<String, List<String>> channelNames() throws StoreException {
        return queries.channelNames();
    }

    @Override
    public long events(EventQuery query, Consumer<StoredEvent> out) throws StoreException {
        return queries.events(query, out);
    }

    @Override
    public List<String> eventKinds() throws StoreException {
        return queries.eventKinds();
    }

    @Override
    public List<EventCount> eventCounts() throws StoreException {
        return queries.eventCounts();
    }

    @Override
    public void register(String output) throws StoreException {
        forwardLog.register(output);
    }

    @Override
    public void forget(String output) throws StoreException {
        forwardLog.forget(output);
    }

    @Override
    public List<SourceChannel> channels(String output) throws StoreException {
        return forwardLog.channels(output);
    }

    @Override
    public List<StoredSample> samplesAfter(SourceChannel channel, long afterMicros, int limit) throws StoreException {
        return forwardLog.samplesAfter(channel, afterMicros, limit);
    }

    @Override
    public long eventCursor(String output) throws StoreException {
        return forwardLog.eventCursor(output);
    }

    @Override
    public List<StoredEvent> eventsAfter(long afterId, int limit) throws StoreException {
        return forwardLog.eventsAfter(afterId, limit);
    }

    @Override
    public void advance(String output, Map<Long, Long> channelTimes, long eventId) throws StoreException {
        forwardLog.advance(output, channelTimes, eventId);
    }

    @Override
    public Backlog backlog(String output) throws StoreException {
        return forwardLog.backlog(output);
    }

    @Override
    public WriterFigures writerFigures() {
        CommitTimes.Taken commits = writer.commitTimes().take();
        return new WriterFigures(writer.accepted(), writer.written(), writer.dropped(), writer.droppedByDevice(),
                writer.queued(), writer.heldBytes(), commits.count(), commits.totalNanos() / 1e9,
                commits.maxNanos() / 1e9);
    }

    /*
     * Both read every block of the database (counts, newest times and values): shared by whoever asks within a
     * few seconds, so that pages and scrapers never hold more than one of the pool's connections for them.
     */
    private final RecentAnswer<Status> recentStatus = new RecentAnswer<>(this::readStatus, 5, TimeUnit.SECONDS);
    private final RecentAnswer<List<DeviceStatus>> recentDevices = new RecentAnswer<>(this::readDeviceStatus, 5,
            TimeUnit.SECONDS);

    /** As read at most 5 s ago. */
    @Override
    public Status status() throws StoreException {
        return recentStatus.get();
    }

    /** As read at most 5 s ago. */
    @Override
    public List<DeviceStatus> deviceStatus() throws StoreException {
        return recentDevices.get();
    }

    private Status readStatus() throws StoreException {
        try {
            return new StatusReport(location, queries).status(RunningHere.daemon(context,
                    context.getProperty(STATE_PROPERTY)));
        } catch (IOException e) {
            throw new StoreException("reading the store's outage file failed: " + e.getMessage(), e);
        }
    }

    private List<DeviceStatus> readDeviceStatus() throws StoreException {
        return new StatusReport(location, queries).devices(true);
    }

    /**
     * Health for the service watchdog (systemd keep-alives): the writer's progress and whether its last write
     * worked.
     */
    @Override
    public Health health() {
        // Progress goes on while the writer commits or has nothing to commit. A writer that cannot write because
        // the disk is full or read-only holds samples and keeps progressing (restarting would not free the
        // disk) and says why in STATUS; a writer that hangs, or fails for any other reason, stops progressing.
        String error = writer.lastError();
        return new Health(writer.alive(), false, writer.progress(),
                error == null ? "store writer ok" : "store cannot write: " + error,
                Map.of("samples", writer.accepted(), "written", writer.written(), "dropped", writer.dropped(),
                        "held.bytes", writer.heldBytes()));
    }
}
