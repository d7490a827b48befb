package org.usblogd.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.usblogd.api.output.OutputStatus;
import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.status.Status;
import org.usblogd.api.store.EventCount;
import org.usblogd.api.store.WriterFigures;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * The daemon's figures as Prometheus metric snapshots, built afresh at each scrape: what {@code /metrics}
 * shows. Counters the library names with {@code _total} when it writes them.
 */
final class DaemonMetrics {
    /** A device's states, as status names them: each device has a series for each, 1 for the one it is in. */
    static final List<String> DEVICE_STATES = List.of("logging", "binding", "no driver", "disabled", "stale",
            "retrying", "detached");
    /** Events in which drivers report values they rejected; always shown, 0 until one happens. */
    static final List<String> REJECTED_KINDS = List.of("decode.bad", "decode.implausible");
    /** Events of the device manager's recovery ladder; always shown, 0 until one happens. */
    static final List<String> RECOVERY_KINDS = List.of("device.stale", "recovery.reopen", "recovery.reset",
            "recovery.back-off", "recovery.give-up");

    /** Everything one scrape shows. */
    record Figures(Status status, List<DeviceStatus> devices, WriterFigures writer, List<EventCount> events,
            PluginChanges.Figures plugins, JvmFigures jvm, List<OutputStatus> outputs, long nowMicros) {
        /** Without outputs configured. */
        Figures(Status status, List<DeviceStatus> devices, WriterFigures writer, List<EventCount> events,
                PluginChanges.Figures plugins, JvmFigures jvm) {
            this(status, devices, writer, events, plugins, jvm, List.of(), 0);
        }
    }

    private DaemonMetrics() {
    }

    static MetricSnapshots of(Figures f) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        devices(f, all);
        store(f.status(), f.writer(), all);
        events(f.events(), all);
        plugins(f.plugins(), all);
        jvm(f.jvm(), f.status(), all);
        outputs(f.outputs(), f.nowMicros(), all);
        return all.build();
    }

    private static void devices(Figures f, MetricSnapshots.Builder all) {
        Map<String, Status.Device> byKey = new LinkedHashMap<>();
        f.status().devices().forEach(d -> byKey.put(d.device(), d));
        Gauge stored = new Gauge("usblogd_device_samples_stored",
                "Samples stored for the device, all its channels (retention removes old ones)");
        Gauge state = new Gauge("usblogd_device_state", "1 for the state the device is in (as usblogd devices"
                + " shows it), 0 for the others");
        Gauge attached = new Gauge("usblogd_device_attached", "1 while the device is plugged in");
        Gauge age = new Gauge("usblogd_device_last_sample_age_seconds",
                "Seconds since the device's newest stored sample was taken");
        Counter dropped = new Counter("usblogd_device_samples_dropped",
                "Samples of the device the store dropped since the daemon started (writer behind, memory full)");
        for (DeviceStatus d : f.devices()) {
            Labels device = Labels.of("device", d.device());
            stored.add(device, d.samples());
            attached.add(device, d.attached() ? 1 : 0);
            List<String> states = new ArrayList<>(DEVICE_STATES);
            if (!states.contains(d.state())) {
                states.add(d.state());
            }
            for (String s : states) {
                state.add(Labels.of("device", d.device(), "state", s), s.equals(d.state()) ? 1 : 0);
            }
            Status.Device s = byKey.get(d.device());
            if (s != null && s.ageSeconds() != null) {
                age.add(device, s.ageSeconds());
            }
            dropped.add(device, f.writer().droppedByDevice().getOrDefault(d.device(), 0L));
        }
        // a device the store dropped samples of before it was listed
        f.writer().droppedByDevice().forEach((device, n) -> {
            if (f.devices().stream().noneMatch(d -> d.device().equals(device))) {
                dropped.add(Labels.of("device", device), n);
            }
        });
        Counter rejected = new Counter("usblogd_device_rejected_events", "Events in which the device's driver"
                + " reported values it rejected (decode.bad: malformed, decode.implausible: out of range;"
                + " serial.line-cut): each reports the first and then every so many, its message says how many");
        Counter recoveries = new Counter("usblogd_device_recoveries", "Steps of the recovery ladder taken for"
                + " the device: device.stale (it fell silent), recovery.reopen, recovery.reset, recovery.back-off,"
                + " recovery.give-up");
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (EventCount e : f.events()) {
            if (e.device() != null) {
                counts.computeIfAbsent(e.device(), k -> new TreeMap<>()).put(e.kind(), e.count());
            }
        }
        for (DeviceStatus d : f.devices()) {
            counts.computeIfAbsent(d.device(), k -> new TreeMap<>());
        }
        counts.forEach((device, kinds) -> {
            perKind(rejected, device, kinds, REJECTED_KINDS, k -> k.equals("serial.line-cut"));
            perKind(recoveries, device, kinds, RECOVERY_KINDS, k -> k.startsWith("recovery."));
        });
        all.metricSnapshot(stored.build()).metricSnapshot(state.build()).metricSnapshot(attached.build())
                .metricSnapshot(age.build()).metricSnapshot(dropped.build()).metricSnapshot(rejected.build())
                .metricSnapshot(recoveries.build());
    }

    /** The always-shown kinds (0 when none happened), then any other kind that belongs. */
    private static void perKind(Counter counter, String device, Map<String, Long> kinds, List<String> shown,
            java.util.function.Predicate<String> alsoBelongs) {
        TreeSet<String> names = new TreeSet<>(shown);
        kinds.keySet().stream().filter(alsoBelongs).forEach(names::add);
        for (String kind : names) {
            counter.add(Labels.of("device", device, "kind", kind), kinds.getOrDefault(kind, 0L));
        }
    }

    private static void store(Status status, WriterFigures w, MetricSnapshots.Builder all) {
        Status.Store s = status.store();
        all.metricSnapshot(new Gauge("usblogd_store_outage", "1 while the store cannot write to its database"
                + " (a full or read-only disk, a lost server): it holds samples in memory meanwhile")
                .add(Labels.EMPTY, s.outage() != null || "outage".equals(s.state()) ? 1 : 0).build());
        if (s.bytes() != null) {
            all.metricSnapshot(new Gauge("usblogd_store_bytes", "Bytes the database takes on disk")
                    .add(Labels.EMPTY, s.bytes()).build());
        }
        all.metricSnapshot(new Counter("usblogd_store_samples_accepted",
                "Samples handed to the store since the daemon started").add(Labels.EMPTY, w.accepted()).build());
        all.metricSnapshot(new Counter("usblogd_store_samples_written",
                "Samples committed to the database since the daemon started").add(Labels.EMPTY, w.written()).build());
        all.metricSnapshot(new Counter("usblogd_store_samples_dropped",
                "Samples the store dropped since the daemon started").add(Labels.EMPTY, w.dropped()).build());
        all.metricSnapshot(new Gauge("usblogd_store_queue_samples",
                "Samples waiting in the queue for the store's writer").add(Labels.EMPTY, w.queued()).build());
        all.metricSnapshot(new Gauge("usblogd_store_held_bytes",
                "Heap held by samples not yet safely on disk (queue and open blocks)").add(Labels.EMPTY,
                        w.heldBytes()).build());
        all.metricSnapshot(SummarySnapshot.builder().name("usblogd_store_commit_seconds")
                .help("Time the store's commits took (each writes everything that arrived since the last)")
                .dataPoint(SummaryDataPointSnapshot.builder().count(w.commits()).sum(w.commitSeconds()).build())
                .build());
        all.metricSnapshot(new Gauge("usblogd_store_commit_max_seconds",
                "The longest commit since the previous scrape (0: none)").add(Labels.EMPTY, w.commitMaxSeconds())
                .build());
    }

    private static void events(List<EventCount> events, MetricSnapshots.Builder all) {
        Map<String, Long> byKind = new TreeMap<>();
        events.forEach(e -> byKind.merge(e.kind(), e.count(), Long::sum));
        Counter c = new Counter("usblogd_events", "Events recorded since the store began, by kind (usblogd"
                + " events lists them)");
        byKind.forEach((kind, n) -> c.add(Labels.of("kind", kind), n));
        all.metricSnapshot(c.build());
    }

    private static void plugins(PluginChanges.Figures p, MetricSnapshots.Builder all) {
        Counter changes = new Counter("usblogd_plugin_changes", "Plugin bundles updated (a jar in plugins/"
                + " replaced: hot-swapped) and uninstalled (its jar removed) since the daemon started");
        new TreeMap<>(p.changes()).forEach((kind, n) -> changes.add(Labels.of("kind", kind), n));
        Gauge bundles = new Gauge("usblogd_plugin_bundles", "Plugin bundles by OSGi state (active: running)");
        p.bundles().forEach((state, n) -> bundles.add(Labels.of("state", state), n));
        all.metricSnapshot(changes.build()).metricSnapshot(bundles.build());
    }

    private static void jvm(JvmFigures j, Status status, MetricSnapshots.Builder all) {
        Gauge used = new Gauge("usblogd_jvm_memory_used_bytes", "Memory the JVM uses, heap and nonheap");
        Gauge committed = new Gauge("usblogd_jvm_memory_committed_bytes",
                "Memory the JVM has from the system, heap and nonheap");
        Gauge max = new Gauge("usblogd_jvm_memory_max_bytes", "Most memory the JVM may use (left out: no limit)");
        used.add(Labels.of("area", "heap"), j.heapUsed()).add(Labels.of("area", "nonheap"), j.nonHeapUsed());
        committed.add(Labels.of("area", "heap"), j.heapCommitted()).add(Labels.of("area", "nonheap"),
                j.nonHeapCommitted());
        if (j.heapMax() >= 0) {
            max.add(Labels.of("area", "heap"), j.heapMax());
        }
        if (j.nonHeapMax() >= 0) {
            max.add(Labels.of("area", "nonheap"), j.nonHeapMax());
        }
        all.metricSnapshot(used.build()).metricSnapshot(committed.build()).metricSnapshot(max.build())
                .metricSnapshot(new Gauge("usblogd_jvm_threads", "Live threads of the JVM")
                        .add(Labels.EMPTY, j.threads()).build())
                .metricSnapshot(new Gauge("usblogd_jvm_threads_daemon", "Live daemon threads of the JVM")
                        .add(Labels.EMPTY, j.daemonThreads()).build())
                .metricSnapshot(new Gauge("usblogd_jvm_threads_peak", "Most live threads since the JVM started")
                        .add(Labels.EMPTY, j.peakThreads()).build());
        Long uptime = status.daemon().uptimeSeconds();
        if (uptime != null) {
            all.metricSnapshot(new Gauge("usblogd_uptime_seconds", "Seconds since the daemon started")
                    .add(Labels.EMPTY, uptime).build());
        }
    }

    /** Each output's connection, backlog and counts; nothing when no output is configured. */
    private static void outputs(List<OutputStatus> outputs, long nowMicros, MetricSnapshots.Builder all) {
        if (outputs.isEmpty()) {
            return;
        }
        Gauge connected = new Gauge("usblogd_output_connected", "1 while the output's last attempt reached its"
                + " peer and committed there");
        Gauge backlog = new Gauge("usblogd_output_backlog_samples", "Committed samples the output has not"
                + " forwarded yet (they wait in the local store)");
        Gauge events = new Gauge("usblogd_output_backlog_events", "Committed events the output has not forwarded"
                + " yet");
        Gauge age = new Gauge("usblogd_output_backlog_oldest_age_seconds", "Age of the oldest sample the output"
                + " has not forwarded yet; absent when there is none");
        Counter samples = new Counter("usblogd_output_forwarded_samples", "Samples the output's peer committed"
                + " since the daemon started (a replay after a crash counts again)");
        Counter forwardedEvents = new Counter("usblogd_output_forwarded_events", "Events the output's peer"
                + " committed since the daemon started");
        Gauge error = new Gauge("usblogd_output_last_error_timestamp_seconds", "When the output last failed"
                + " (the log and /api/v1/outputs say why); absent when it has not since the daemon started");
        for (OutputStatus o : outputs) {
            Labels l = Labels.of("output", o.name(), "type", o.type());
            connected.add(l, o.connected() ? 1 : 0);
            if (o.backlogSamples() >= 0) {
                backlog.add(l, o.backlogSamples());
            }
            if (o.backlogEvents() >= 0) {
                events.add(l, o.backlogEvents());
            }
            if (o.backlogOldestMicros() != Long.MIN_VALUE) {
                age.add(l, Math.max(0, nowMicros - o.backlogOldestMicros()) / 1e6);
            }
            samples.add(l, o.forwardedSamples());
            forwardedEvents.add(l, o.forwardedEvents());
            if (o.lastErrorMicros() != Long.MIN_VALUE) {
                error.add(l, o.lastErrorMicros() / 1e6);
            }
        }
        all.metricSnapshot(connected.build()).metricSnapshot(backlog.build()).metricSnapshot(events.build())
                .metricSnapshot(age.build()).metricSnapshot(samples.build()).metricSnapshot(forwardedEvents.build())
                .metricSnapshot(error.build());
    }

    /** A gauge's name, help and points, gathered before the snapshot is built. */
    private static final class Gauge {
        private final GaugeSnapshot.Builder b;

        Gauge(String name, String help) {
            b = GaugeSnapshot.builder().name(name).help(help);
        }

        Gauge add(Labels labels, double value) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            return this;
        }

        GaugeSnapshot build() {
            return b.build();
        }
    }

    /** A counter's name (without {@code _total}: the library adds it), help and points. */
    private static final class Counter {
        private final CounterSnapshot.Builder b;

        Counter(String name, String help) {
            b = CounterSnapshot.builder().name(name).help(help);
        }

        Counter add(Labels labels, double value) {
            b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            return this;
        }

        CounterSnapshot build() {
            return b.build();
        }
    }
}
