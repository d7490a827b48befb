package org.usblogd.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.store.StoreListener;
import org.usblogd.api.store.StoredEvent;
import org.usblogd.api.store.StoredSample;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.store.jdbc.DeviceRow;
import org.usblogd.store.jdbc.Dialect;
import org.usblogd.store.jdbc.HighWaterMark;
import org.usblogd.store.jdbc.IdCache;
import org.usblogd.store.jdbc.WriteTransaction;

/**
 * The only thread that writes to the database. Producers hand it samples in chunks ({@link DeviceFeed},
 * {@link ChunkQueue}), events
 * ({@link EventQueue}), device states ({@link DeviceStates}) and channel declarations, and never wait.
 * Every visibility interval it writes what changed in one transaction ({@link WriteTransaction}); every
 * flush interval it forces the database to disk. A failed write rolls back as a whole and nothing leaves
 * memory until a commit has it: the next write does it all again, however the last one failed. While the
 * database cannot be written, samples wait in sealed blocks ({@link BlockBuffer}) up to a memory budget.
 * Every interval runs on the monotonic clock.
 */
final class StoreWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final long IDLE_BLOCK_NANOS = 600_000_000_000L;
    /**
     * The most samples in one chunk a device hands over: enough that the hand-off costs next to nothing per
     * sample at millions a second, and an eighth of the queue at most, so that a full queue drops a small
     * part of what it holds at a time.
     */
    static final int MOST_CHUNK_SAMPLES = 4_096;

    /** How the writer is tuned; see the store's configuration for what each means. */
    record Settings(int queueCapacity, int blockSamples, long visibilityMs, long flushIntervalMs, long memoryBytes,
            int eventCapacity, long retryMs, long compactIntervalMs, long blockAgeMs) {

        static Settings of(int queueCapacity, int blockSamples, long visibilityMs, long flushIntervalMs) {
            return new Settings(queueCapacity, blockSamples, visibilityMs, flushIntervalMs, 32L << 20, 10_000, 1_000,
                    10_000, 600_000);
        }

        Settings withRetryMs(long ms) {
            return new Settings(queueCapacity, blockSamples, visibilityMs, flushIntervalMs, memoryBytes, eventCapacity,
                    ms, compactIntervalMs, blockAgeMs);
        }

        Settings withMemoryBytes(long bytes) {
            return new Settings(queueCapacity, blockSamples, visibilityMs, flushIntervalMs, bytes, eventCapacity,
                    retryMs, compactIntervalMs, blockAgeMs);
        }

        Settings withCompactIntervalMs(long ms) {
            return new Settings(queueCapacity, blockSamples, visibilityMs, flushIntervalMs, memoryBytes, eventCapacity,
                    retryMs, ms, blockAgeMs);
        }
    }

    private final DataSource dataSource;
    private final StoreClock clock;
    /** Set at start and by a configuration change while the daemon runs. */
    private volatile long visibilityNanos;
    private volatile long flushNanos;
    private final long retryMs;
    private final FileCompaction compaction;
    private final CompactionWindows windows;
    private String compactionError;
    private final ChunkQueue queue;
    private final int chunkSamples;
    /**
     * Each attached device's feed, made at its first sink and kept until it leaves: the writer collects their
     * partly filled chunks.
     */
    private final Map<String, DeviceFeed> feeds = new ConcurrentHashMap<>();
    /** What the feeds of devices that left had accepted. */
    private final AtomicLong acceptedByDeparted = new AtomicLong();
    private final CommitTimes commitTimes = new CommitTimes();
    private final EventQueue events;
    private final DeviceStates states = new DeviceStates();
    private final List<ChannelRef> declarations = new ArrayList<>();
    private final BlockBuffer buffer;
    private final IdCache ids = new IdCache();
    private final Outage outage;
    private final WriteReport report = new WriteReport();
    private final ClockWatch clockWatch;
    private final AtomicLong written = new AtomicLong();
    /** Goes up while the writer commits, has nothing to commit, or waits for a full disk; a stuck writer stops it. */
    private final AtomicLong progress = new AtomicLong();
    private volatile long held;
    private final Thread thread = new Thread(this, "store-writer");
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private Connection connection;
    private Dialect dialect;
    private long lastSync;
    /** Whether a commit happened since the last sync: only then is there anything to force to the disk. */
    private boolean committedSinceSync;
    /** Each channel's newest committed sample (key device TAB channel): what the next sync makes durable. */
    private final Map<String, Long> committedUpTo = new HashMap<>();
    /** Kept outside the database after each sync; null where the database makes commits durable itself. */
    private volatile HighWaterMark highWaterMark;
    /** Told of each commit's new samples and events; what they were told of is only gathered when there are any. */
    private volatile Supplier<List<StoreListener>> listeners = List::of;
    /** The last listener failure logged, so that a listener failing at every commit is one line, not thousands. */
    private String listenerError;

    StoreWriter(DataSource dataSource, int capacity, int blockSamples, long visibilityMs, long flushIntervalMs) {
        this(dataSource, Settings.of(capacity, blockSamples, visibilityMs, flushIntervalMs), StoreClock.SYSTEM);
    }

    StoreWriter(DataSource dataSource, Settings settings, StoreClock clock) {
        this(dataSource, settings, clock, new CompactionWindows());
    }

    StoreWriter(DataSource dataSource, Settings settings, StoreClock clock, CompactionWindows windows) {
        this.windows = windows;
        this.dataSource = dataSource;
        this.clock = clock;
        timing(settings.visibilityMs(), settings.flushIntervalMs());
        this.retryMs = Math.max(1, settings.retryMs());
        this.compaction = new FileCompaction(settings.compactIntervalMs(), clock.nanos());
        this.queue = new ChunkQueue(settings.queueCapacity());
        this.chunkSamples = Math.max(1, Math.min(MOST_CHUNK_SAMPLES, queue.capacity() / 8));
        this.events = new EventQueue(settings.eventCapacity());
        this.buffer = new BlockBuffer(settings.blockSamples(), settings.blockAgeMs() * 1_000_000L,
                settings.memoryBytes(), IDLE_BLOCK_NANOS);
        this.outage = new Outage(clock::nanos);
        this.clockWatch = new ClockWatch(() -> clock.wallMicros() / 1_000, clock::nanos, 2_000);
    }

    void start() {
        thread.start();
    }

    /** How long a sample may wait for its commit, and a commit for its sync; from the next round of the writer. */
    void timing(long visibilityMs, long flushIntervalMs) {
        long flushMs = Math.max(1, flushIntervalMs);
        this.visibilityNanos = Math.max(1, Math.min(visibilityMs, flushMs)) * 1_000_000L;
        this.flushNanos = flushMs * 1_000_000L;
    }

    /** Where the listeners to tell after each commit are found (the store's whiteboard references). */
    void listeners(Supplier<List<StoreListener>> listeners) {
        this.listeners = listeners;
    }

    void databaseDirectory(Path directory) {
        outage.databaseDirectory(directory);
    }

    /**
     * Keeps {@code mark} up to date after every sync, starting from what it held at open (a channel not
     * written in this run keeps its mark). Before {@link #start()}.
     */
    void highWaterMark(HighWaterMark mark, Map<String, Long> atOpen) {
        committedUpTo.putAll(atOpen);
        this.highWaterMark = mark;
    }

    // ---- producers (any thread) ----

    /**
     * The device's way into the store, the same for every sink of the device. It never blocks; while the
     * store closes, samples are refused and counted as dropped.
     */
    DeviceFeed feed(String deviceKey) {
        return feeds.computeIfAbsent(deviceKey, k -> new DeviceFeed(k, chunkSamples, queue, () -> stopping));
    }

    void event(String deviceKey, String kind, String message) {
        events.add(new StoreOp.Event(deviceKey, kind, message, clock.wallMicros()));
    }

    void declare(ChannelRef ref) {
        synchronized (declarations) {
            declarations.add(ref);
        }
    }

    void attached(String key, UsbDeviceInfo info, String backend, long t) {
        states.update(key, old -> new DeviceRow(key, info, backend, old == null ? null : old.driver(), true,
                old == null ? t : old.firstSeen(), t));
    }

    void driverBound(String key, String driver) {
        long now = clock.wallMicros();
        states.update(key, old -> old == null ? new DeviceRow(key, null, null, driver, true, now, now)
                : new DeviceRow(key, old.info(), old.backend(), driver, old.attached(), old.firstSeen(), old.lastSeen()));
    }

    void detached(String key, long t) {
        states.update(key, old -> old == null ? new DeviceRow(key, null, null, null, false, t, t)
                : new DeviceRow(key, old.info(), old.backend(), old.driver(), false, old.firstSeen(), t));
        synchronized (acceptedByDeparted) { // accepted() never sees the feed's count in neither place
            DeviceFeed feed = feeds.remove(key);
            if (feed != null) {
                feed.retire(acceptedByDeparted);
            }
        }
    }

    /** How many devices' feeds the writer visits: the attached ones that gave samples. */
    int feeds() {
        return feeds.size();
    }

    // ---- health and figures ----

    long progress() {
        return progress.get();
    }

    boolean failing() {
        return outage.failing();
    }

    /** The last write's error, or null when it worked. */
    String lastError() {
        return outage.lastError();
    }

    /** Whether writes fail because the disk is full or read-only (a restart would not help). */
    boolean storageUnavailable() {
        return outage.storageUnavailable();
    }

    long accepted() {
        synchronized (acceptedByDeparted) {
            long n = acceptedByDeparted.get();
            for (DeviceFeed f : feeds.values()) {
                n += f.accepted();
            }
            return n;
        }
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return queue.drops().total() + buffer.drops().total();
    }

    /** The dropped samples by device, since start. */
    Map<String, Long> droppedByDevice() {
        Map<String, Long> result = new HashMap<>(queue.drops().byDevice());
        buffer.drops().byDevice().forEach((device, n) -> result.merge(device, n, Long::sum));
        return result;
    }

    /** How long commits take (including getting the connection): for monitoring. */
    CommitTimes commitTimes() {
        return commitTimes;
    }

    /** Samples waiting in the queue for the writer thread. */
    int queued() {
        return queue.size();
    }

    /**
     * Heap held by samples not yet durable, as of the writer's last round: blocks, the queue and the devices'
     * chunks.
     */
    long heldBytes() {
        return held;
    }

    /** Whether the writer thread runs (it keeps going round while the database fails, retrying). */
    boolean alive() {
        return thread.isAlive();
    }

    /** Refuses new samples, writes everything queued and waits for that, up to {@code timeoutMs}. */
    boolean stop(long timeoutMs) throws InterruptedException {
        // leave the thread a moment to say what it could not write before the caller gives up on it
        stopDeadline = clock.nanos() + Math.max(0, timeoutMs - Math.min(1_000, timeoutMs / 4)) * 1_000_000L;
        stopping = true;
        // Wake the writer by its queue, never with an interrupt: an interrupt during H2's file I/O fails the write.
        queue.wake();
        thread.join(timeoutMs);
        return !thread.isAlive();
    }

    // ---- the writer thread ----

    @Override
    public void run() {
        long lastCommit = clock.nanos();
        lastSync = lastCommit;
        while (true) {
            if (!stopping) {
                try {
                    Chunk c = queue.poll(Math.max(1_000_000L, wakeAt(lastCommit) - clock.nanos()));
                    if (c != null) {
                        store(c, clock.nanos());
                    }
                } catch (InterruptedException e) {
                    log.warn("store writer interrupted; it writes what is queued and stops");
                    stopDeadline = clock.nanos() + 5_000_000_000L;
                    stopping = true;
                }
            }
            drainQueue();
            long collectedAt = clock.nanos();
            boolean collected = stopping || collectedAt - lastCommit >= visibilityNanos;
            if (collected) {
                // what devices gave since the last commit, however little, is in this one
                collectPartlyFilled();
                drainQueue();
            }
            clockWatch.check().ifPresent(step -> {
                log.warn("{}", step);
                event(null, "clock.step", step);
            });
            long now = clock.nanos();
            if (!stopping) {
                buffer.sealAged(now); // also when nothing came: the database then holds the block as final
            }
            boolean pending = pending();
            boolean ok = true;
            if (pending && (stopping || now - lastCommit >= visibilityNanos)) {
                ok = write(now) && syncIfDue(now, stopping);
                if (ok) {
                    lastCommit = now;
                }
            } else if (!pending) {
                ok = syncIfDue(now, stopping);
                if (collected) {
                    // nothing came: a sample's interval starts at this collection, so an idle writer sleeps
                    // until the next one instead of waking every millisecond for a deadline long past
                    lastCommit = collectedAt;
                }
            }
            buffer.holdBudget();
            held = heldBytes(buffer.heldBytes() + queue.heldBytes());
            if (ok || outage.storageUnavailable()) {
                progress.incrementAndGet();
            }
            if (stopping) {
                // this round may have begun before the stop, without collecting: what came since is written next
                collectPartlyFilled();
                if (ok && !pending() && !committedSinceSync) {
                    break;
                }
                if (!ok && clock.nanos() - stopDeadline >= 0) {
                    log.error("store stopping with {} sample(s) and {} event(s) not written: {}",
                            buffer.uncounted() + queue.size(), events.size(), outage.lastError());
                    break;
                }
            }
            if (!ok) {
                sleepQuietly(stopping ? Math.min(retryMs, 100) : retryMs);
            }
        }
        closeConnection();
    }

    private boolean pending() {
        synchronized (declarations) {
            if (!declarations.isEmpty()) {
                return true;
            }
        }
        return !queue.isEmpty() || buffer.anyDirty() || !events.isEmpty() || states.anyDirty();
    }

    /**
     * Takes what is queued now, not what arrives meanwhile: devices that deliver faster than the writer
     * stores would otherwise keep it here, and nothing would be committed until they paused.
     */
    private void drainQueue() {
        long now = clock.nanos();
        long left = queue.size();
        for (Chunk c = left > 0 ? queue.poll() : null; c != null; c = left > 0 ? queue.poll() : null) {
            left -= c.size;
            store(c, now);
        }
    }

    private void collectPartlyFilled() {
        for (DeviceFeed f : feeds.values()) {
            f.collect();
        }
    }

    /** Appends a chunk's samples to their channels' blocks and gives the chunk back to its device. */
    private void store(Chunk c, long now) {
        long[] times = c.times;
        double[] values = c.values;
        int i = 0;
        for (int r = 0; r < c.runs; r++) {
            int end = c.runEnds[r];
            buffer.appendAll(c.runChannels[r], times, values, i, end - i, now);
            i = end;
        }
        c.feed.recycle(c);
    }

    /** The next round's deadline: the next commit, or the sync of what was committed if that comes first. */
    private long wakeAt(long lastCommit) {
        long commit = lastCommit + visibilityNanos;
        return committedSinceSync && lastSync + flushNanos - commit < 0 ? lastSync + flushNanos : commit;
    }

    private long heldBytes(long blocksAndQueue) {
        long n = blocksAndQueue;
        for (DeviceFeed f : feeds.values()) {
            n += f.heldBytes();
        }
        return n;
    }

    /** One transaction with everything that changed; false when it failed (it is then all done again). */
    private boolean write(long now) {
        if (stopping) {
            buffer.sealAll(); // a block of this run is never rewritten by the next
        }
        List<DeviceStates.Dirty> devices = states.dirty();
        List<ChannelRef> declared;
        synchronized (declarations) {
            declared = new ArrayList<>(declarations);
        }
        EventQueue.Batch batch = events.batch();
        List<Block> blocks = buffer.dirty();
        List<Block> inserted = new ArrayList<>();
        List<StoreListener> told = listeners.get();
        List<StoredEvent> newEvents = new ArrayList<>();
        int lost = 0;
        long started = clock.nanos();
        try {
            Connection c = connection();
            try (WriteTransaction tx = new WriteTransaction(c, ids, states::known, clock.wallMicros())) {
                try {
                    for (DeviceStates.Dirty d : devices) {
                        tx.device(d.row());
                    }
                    for (ChannelRef ref : declared) {
                        tx.declare(ref.deviceKey, ref.channel);
                    }
                    for (StoreOp.Event e : batch.events()) {
                        long id = tx.event(e.t(), e.deviceKey(), e.kind(), e.message());
                        if (!told.isEmpty()) {
                            newEvents.add(new StoredEvent(id, e.t(), e.deviceKey(), e.kind(), e.message()));
                        }
                    }
                    for (Block b : blocks) {
                        int channel = tx.channelId(b.channel.deviceKey, b.channel.channel);
                        byte[] data = b.bytes();
                        if (b.rowId >= 0 && tx.updateBlock(b.rowId, channel, b.first(), b.last(), b.size(), b.sealed(),
                                data)) {
                            continue;
                        }
                        if (b.rowId >= 0 && b.counted > 0) {
                            lost++; // committed before, gone now: the database went back; memory still has it
                        }
                        b.rowId = tx.insertBlock(channel, b.first(), b.last(), b.size(), b.sealed(), data);
                        inserted.add(b);
                    }
                    tx.commit();
                    commitTimes.add(clock.nanos() - started);
                } catch (SQLException | RuntimeException e) {
                    tx.rollback();
                    throw e;
                }
            }
        } catch (SQLException | RuntimeException e) {
            // rows inserted in the rolled-back transaction do not exist
            inserted.forEach(b -> b.rowId = -1);
            failed(e);
            return false;
        }
        if (lost > 0) {
            log.warn("store: {} block(s) committed earlier were missing from the database and were written again"
                    + " from memory", lost);
        }
        states.written(devices);
        synchronized (declarations) {
            declarations.subList(0, declared.size()).clear();
        }
        events.written(batch.lastSeq());
        List<StoredSample> newSamples = new ArrayList<>();
        if (!told.isEmpty()) {
            for (Block b : blocks) {
                b.addSince(b.counted, newSamples);
            }
        }
        long added = buffer.committed(blocks, !dialect.needsSync());
        committedSinceSync = dialect.needsSync();
        for (Block b : blocks) {
            committedUpTo.merge(b.channel.deviceKey + '\t' + b.channel.channel.name(), b.last(), Math::max);
        }
        long total = written.addAndGet(added);
        report.committed(blocks, total, now);
        outage.worked().ifPresent(message -> event(null, "store.outage", message));
        queue.drops().reportTo(events::add, clock.wallMicros());
        buffer.drops().reportTo(events::add, clock.wallMicros());
        long eventsDropped = events.takeDropped();
        if (eventsDropped > 0) {
            event(null, "events.dropped", eventsDropped + " event(s) were dropped, the oldest first, because more"
                    + " waited to be written than the store holds in memory");
        }
        tell(told, newSamples, newEvents);
        return true;
    }

    /** Hands a commit's samples and events to the listeners, which return at once; one that throws is logged once. */
    private void tell(List<StoreListener> told, List<StoredSample> samples, List<StoredEvent> committed) {
        if (samples.isEmpty() && committed.isEmpty()) {
            return;
        }
        List<StoredSample> s = java.util.Collections.unmodifiableList(samples);
        List<StoredEvent> e = java.util.Collections.unmodifiableList(committed);
        for (StoreListener l : told) {
            try {
                l.committed(s, e);
            } catch (RuntimeException x) {
                String error = l.getClass().getName() + ": " + x;
                if (!error.equals(listenerError)) {
                    log.warn("store: a listener failed on what was committed ({}); the data is stored all the same",
                            error);
                }
                listenerError = error;
            }
        }
    }

    /**
     * Forces committed data to the disk once per flush interval (and when stopping): H2 writes each commit
     * to the file at once (WRITE_DELAY=0), which a killed process does not lose, but only a sync survives a
     * power cut. Sealed blocks stay in memory until then.
     */
    private boolean syncIfDue(long now, boolean force) {
        if (dialect == null || !dialect.needsSync() || !committedSinceSync || !force && now - lastSync < flushNanos) {
            return true;
        }
        try {
            dialect.sync(connection());
            lastSync = now;
            committedSinceSync = false;
            buffer.synced();
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return false;
        }
        if (dialect.compactsAfterSync() && compaction.due(now)) {
            compact(now);
        }
        HighWaterMark mark = highWaterMark;
        if (mark != null) {
            try {
                mark.write(committedUpTo);
            } catch (IOException e) {
                // the data is synced; only the check at the next open is weaker until a later write works
                log.warn("store: cannot write its high-water mark {}: {}", mark.file(), e.getMessage());
            }
        }
        return true;
    }

    /**
     * A compaction window right after a sync, and a sync after it; a failure costs space, not data. The sync
     * before it is repeated under the lock that keeps maintenance from committing in between.
     */
    private void compact(long now) {
        try {
            Connection c = connection();
            synchronized (windows.lock()) {
                dialect.sync(c);
                compaction.compact(c, now);
                dialect.sync(c);
            }
            windows.windowDone();
            compactionError = null;
        } catch (SQLException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(compactionError)) {
                log.warn("store: compacting the database file failed ({}); it may grow until the next try", e.getMessage());
            }
            compactionError = String.valueOf(e.getMessage());
        }
    }

    private void failed(Exception e) {
        outage.failed(e, (buffer.uncounted() + queue.size()) + " sample(s) and " + events.size() + " event(s)"
                + " (up to " + buffer.budgetBytes() / 1_048_576 + " MB; beyond that the oldest are dropped and counted)");
        discardConnection();
        // the database may reopen at an earlier commit: nothing it was thought to hold is taken for granted
        buffer.failed();
        states.unwritten();
        ids.clear();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                if (dialect == null) {
                    dialect = Dialect.of(c);
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /**
     * Gives up a connection a write failed on: a pool would hand it out again, though the database behind it
     * may have closed itself (H2 does when its file cannot be written, a full disk say); the next write
     * opens a fresh one, and H2 reopens the file at its last good commit.
     */
    private void discardConnection() {
        if (connection == null) {
            return;
        }
        try {
            if (dataSource instanceof com.zaxxer.hikari.HikariDataSource pool) {
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("discarding the writer's connection: {}", e.getMessage());
        }
        connection = null;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the writer's connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
