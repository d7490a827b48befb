package org.usblogd.store.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.usblogd.store.jdbc.DeviceRow;

/**
 * The latest known state of every device, for the device table: producers overwrite it, the writer writes
 * what changed. A state is not a queue of operations: however often a device comes and goes during an
 * outage, it costs one entry, and the table ends up saying what is true now.
 */
final class DeviceStates {
    private static final class Entry {
        DeviceRow row;
        long version;
        long writtenVersion = -1;
    }

    private final Map<String, Entry> states = new HashMap<>();

    /** Changes a device's state; {@code change} gets null for a device not seen before. */
    synchronized void update(String key, UnaryOperator<DeviceRow> change) {
        Entry e = states.computeIfAbsent(key, k -> new Entry());
        e.row = change.apply(e.row);
        e.version++;
    }

    /** What the writer knows of a device, to make its row again; null when nothing. */
    synchronized DeviceRow known(String key) {
        Entry e = states.get(key);
        return e == null ? null : e.row;
    }

    /** States not yet written, with their versions. */
    synchronized List<Dirty> dirty() {
        List<Dirty> out = new ArrayList<>();
        states.forEach((k, e) -> {
            if (e.version != e.writtenVersion) {
                out.add(new Dirty(e.row, e.version));
            }
        });
        return out;
    }

    /** The written versions are in the database; a device that changed meanwhile stays dirty. */
    synchronized void written(List<Dirty> written) {
        for (Dirty d : written) {
            Entry e = states.get(d.row().key());
            if (e != null) {
                e.writtenVersion = Math.max(e.writtenVersion, d.version());
            }
        }
        // detached devices whose state is written are not needed in memory: their rows say it
        states.values().removeIf(e -> e.version == e.writtenVersion && !e.row.attached());
    }

    /** After a failed write: the database may have gone back to an earlier commit, so write every state again. */
    synchronized void unwritten() {
        states.values().forEach(e -> e.writtenVersion = -1);
    }

    synchronized boolean anyDirty() {
        return states.values().stream().anyMatch(e -> e.version != e.writtenVersion);
    }

    record Dirty(DeviceRow row, long version) {
    }
}
