package org.usblogd.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.status.Status;
import org.usblogd.api.store.StoreException;

/**
 * What {@code usblogd status} and {@code usblogd devices} say, computed once for the command line (from the
 * files of a state directory) and for the daemon (its StatusService): the store's state and figures, and
 * each device as shown, corrected by whether a daemon runs at all.
 */
public final class StatusReport {
    /** What STATE says of a device the database marks attached while no daemon runs (one was killed). */
    public static final String DAEMON_STOPPED = "daemon stopped";

    private final StoreLocation location;
    private final SqlSampleStore db;

    /**
     * @param location the embedded database's place, or null for a server
     * @param db the database, or null when there is none yet
     */
    public StatusReport(StoreLocation location, SqlSampleStore db) {
        this.location = location;
        this.db = db;
    }

    /** The whole status; the daemon's facts as the caller knows them. */
    public Status status(Status.Daemon daemon) throws StoreException, IOException {
        Status.Outage outage = daemon.running() ? outage() : null;
        Status.Store store;
        List<DeviceListing.Device> devices;
        if (db == null) {
            store = new Status.Store("no database yet", outage, null, null, null);
            devices = List.of();
        } else {
            StoreFigures figures = new StoreFigures(db.dataSource());
            long nowMicros = SqlSampleStore.micros(Instant.now());
            store = new Status.Store(outage != null ? "outage" : daemon.running() ? "open" : "closed", outage,
                    location == null ? null : Files.size(location.databaseFile()),
                    figures.samplesBetween(nowMicros - 60_000_000L, nowMicros),
                    daemon.running() ? figures.droppedSinceStart() : null);
            devices = new DeviceListing(db.dataSource()).devices();
        }
        // after the reading: a sample committed while it read is not younger than now
        Instant now = Instant.now();
        return new Status(daemon, store, devices.stream().map(d -> {
            Long last = d.lastSampleMicros();
            Instant at = last == null ? null : SqlSampleStore.instant(last);
            return new Status.Device(d.device(), state(d, daemon.running()), d.attached() && daemon.running(),
                    at == null ? null : at.toString(), at == null ? null : Duration.between(at, now).toMillis() / 1000.0);
        }).toList());
    }

    /** Every device seen, each channel with its newest value; empty when there is no database yet. */
    public List<DeviceStatus> devices(boolean daemonRunning) throws StoreException {
        if (db == null) {
            return List.of();
        }
        Map<LatestValues.Key, LatestValues.Latest> latest = new LatestValues(db.dataSource()).read();
        return new DeviceListing(db.dataSource()).devices().stream().map(d -> new DeviceStatus(d.device(), d.vidPid(),
                d.product(), state(d, daemonRunning), d.attached() && daemonRunning, d.driver(), d.backend(),
                d.samples(), d.lastSampleMicros() == null ? null : SqlSampleStore.instant(d.lastSampleMicros()).toString(),
                d.binding(), d.channels().stream().map(c -> {
                    LatestValues.Latest l = latest.get(new LatestValues.Key(d.device(), c.name(), c.unit()));
                    return new DeviceStatus.ChannelStatus(c.name(), c.unit(), l == null ? null : l.value(),
                            l == null ? null : SqlSampleStore.instant(l.timeMicros()).toString());
                }).toList())).toList();
    }

    /**
     * A device's state as shown: what the database says was attached when a daemon was killed stays so until
     * the next one starts, so without a daemon nothing is attached.
     */
    private static String state(DeviceListing.Device d, boolean daemonRunning) {
        return d.attached() && !daemonRunning ? DAEMON_STOPPED : d.state().label();
    }

    /** What the store's outage file says, or null when there is none (or no file database). */
    private Status.Outage outage() throws IOException {
        if (location == null) {
            return null;
        }
        Path file = location.outageFile();
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file);
        return new Status.Outage(lines.isEmpty() ? null : lines.get(0), lines.size() < 2 ? null : lines.get(1));
    }
}
