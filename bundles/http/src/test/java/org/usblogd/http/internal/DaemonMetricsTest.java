package org.usblogd.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.usblogd.api.status.DeviceStatus;
import org.usblogd.api.status.Status;
import org.usblogd.api.store.EventCount;
import org.usblogd.api.store.WriterFigures;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** What /metrics shows for given figures, as the Prometheus text format writes it. */
class DaemonMetricsTest {
    private static final String CO2 = "04d9:a052@v1-1";
    private static final String SCALE = "0922:8003@v1-2";

    private static DaemonMetrics.Figures figures(Status.Outage outage, Long bytes, long commitMaxNanos) {
        Status status = new Status(new Status.Daemon(true, "/var/lib/usblogd", 42L, "0.1.0", "2026-12-02T00:00:00Z",
                3_600L), new Status.Store(outage == null ? "open" : "outage", outage, bytes, 120L, 7L),
                List.of(new Status.Device(CO2, "logging", true, "2026-12-02T01:00:00Z", 1.5),
                        new Status.Device(SCALE, "detached", false, null, null)));
        List<DeviceStatus> devices = List.of(
                new DeviceStatus(CO2, "04d9:a052", "CO2 monitor", "logging", true, "co2mon", "virtual", 1_234,
                        "2026-12-02T01:00:00Z", null, List.of()),
                new DeviceStatus(SCALE, "0922:8003", "scale", "detached", false, null, "virtual", 0, null, null,
                        List.of()));
        WriterFigures writer = new WriterFigures(1_300, 1_234, 7, Map.of(CO2, 5L, "gone:device@v1-9", 2L), 66,
                8_192, 40, 0.2, commitMaxNanos / 1e9);
        List<EventCount> events = List.of(new EventCount(null, "daemon.started", 2),
                new EventCount(CO2, "decode.bad", 3), new EventCount(CO2, "recovery.reset", 1),
                new EventCount(CO2, "serial.line-cut", 4), new EventCount(SCALE, "device.attached", 1));
        PluginChanges.Figures plugins = new PluginChanges.Figures(Map.of("updated", 1L, "uninstalled", 0L),
                Map.of("active", 8L, "resolved", 0L));
        JvmFigures jvm = new JvmFigures(10_000_000, 20_000_000, 64_000_000, 30_000_000, 31_000_000, -1, 25, 20, 30);
        return new DaemonMetrics.Figures(status, devices, writer, events, plugins, jvm);
    }

    private static String text(DaemonMetrics.Figures f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, DaemonMetrics.of(f));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachOutputHasItsConnectionBacklogAndForwardedCountsAndNothingShowsWithoutOutputs() throws IOException {
        DaemonMetrics.Figures f = figures(null, 4_096L, 0);
        long now = 1_800_000_000_000_000L;
        DaemonMetrics.Figures withOutputs = new DaemonMetrics.Figures(f.status(), f.devices(), f.writer(), f.events(),
                f.plugins(), f.jvm(), List.of(
                        new org.usblogd.api.output.OutputStatus("central", "postgresql", "jdbc:postgresql://db/x", false,
                                350, now - 90_000_000L, 2, 1_000, 4, "FATAL: password authentication failed",
                                now - 1_000_000L),
                        new org.usblogd.api.output.OutputStatus("spare", "postgresql", "jdbc:postgresql://db/y", true,
                                0, Long.MIN_VALUE, 0, 7, 0, null, Long.MIN_VALUE)), now);
        String text = text(withOutputs);
        assertThat(text).contains(
                "usblogd_output_connected{output=\"central\",type=\"postgresql\"} 0.0\n",
                "usblogd_output_connected{output=\"spare\",type=\"postgresql\"} 1.0\n",
                "usblogd_output_backlog_samples{output=\"central\",type=\"postgresql\"} 350.0\n",
                "usblogd_output_backlog_events{output=\"central\",type=\"postgresql\"} 2.0\n",
                "usblogd_output_backlog_oldest_age_seconds{output=\"central\",type=\"postgresql\"} 90.0\n",
                "usblogd_output_forwarded_samples_total{output=\"central\",type=\"postgresql\"} 1000.0\n",
                "usblogd_output_forwarded_events_total{output=\"spare\",type=\"postgresql\"} 0.0\n",
                "# TYPE usblogd_output_forwarded_samples_total counter\n",
                "usblogd_output_last_error_timestamp_seconds{output=\"central\",type=\"postgresql\"} 1.799999999E9\n")
                .doesNotContain("usblogd_output_backlog_oldest_age_seconds{output=\"spare\"")
                .doesNotContain("usblogd_output_last_error_timestamp_seconds{output=\"spare\"")
                .doesNotContain("password");
        assertThat(text(f)).doesNotContain("usblogd_output_");
    }

    @Test
    void eachDeviceHasItsSamplesStoredItsStateAndWhetherItIsAttached() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("usblogd_device_samples_stored{device=\"" + CO2 + "\"} 1234.0\n",
                "usblogd_device_samples_stored{device=\"" + SCALE + "\"} 0.0\n",
                "usblogd_device_state{device=\"" + CO2 + "\",state=\"logging\"} 1.0\n",
                "usblogd_device_state{device=\"" + CO2 + "\",state=\"stale\"} 0.0\n",
                "usblogd_device_state{device=\"" + SCALE + "\",state=\"detached\"} 1.0\n",
                "usblogd_device_state{device=\"" + SCALE + "\",state=\"no driver\"} 0.0\n",
                "usblogd_device_attached{device=\"" + CO2 + "\"} 1.0\n",
                "usblogd_device_attached{device=\"" + SCALE + "\"} 0.0\n",
                "# HELP usblogd_device_samples_stored ", "# TYPE usblogd_device_state gauge\n");
    }

    @Test
    void theLastSampleAgeIsShownOnlyForDevicesWithSamples() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("usblogd_device_last_sample_age_seconds{device=\"" + CO2 + "\"} 1.5\n")
                .doesNotContain("usblogd_device_last_sample_age_seconds{device=\"" + SCALE + "\"}");
    }

    @Test
    void droppedSamplesAreCountedPerDeviceAlsoForADeviceNotListed() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("# TYPE usblogd_device_samples_dropped_total counter\n",
                "usblogd_device_samples_dropped_total{device=\"" + CO2 + "\"} 5.0\n",
                "usblogd_device_samples_dropped_total{device=\"" + SCALE + "\"} 0.0\n",
                "usblogd_device_samples_dropped_total{device=\"gone:device@v1-9\"} 2.0\n");
    }

    @Test
    void rejectedAndRecoveryEventsAreCountedPerDeviceAndKindWithZeroForTheKindsNotYetSeen() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains(
                "usblogd_device_rejected_events_total{device=\"" + CO2 + "\",kind=\"decode.bad\"} 3.0\n",
                "usblogd_device_rejected_events_total{device=\"" + CO2 + "\",kind=\"decode.implausible\"} 0.0\n",
                "usblogd_device_rejected_events_total{device=\"" + CO2 + "\",kind=\"serial.line-cut\"} 4.0\n",
                "usblogd_device_rejected_events_total{device=\"" + SCALE + "\",kind=\"decode.bad\"} 0.0\n",
                "usblogd_device_recoveries_total{device=\"" + CO2 + "\",kind=\"recovery.reset\"} 1.0\n",
                "usblogd_device_recoveries_total{device=\"" + CO2 + "\",kind=\"device.stale\"} 0.0\n",
                "usblogd_device_recoveries_total{device=\"" + SCALE + "\",kind=\"recovery.reopen\"} 0.0\n")
                .doesNotContain("usblogd_device_rejected_events_total{device=\"" + SCALE
                        + "\",kind=\"serial.line-cut\"}");
    }

    @Test
    void eventsAreCountedByKindOverAllDevicesAndTheDaemon() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("usblogd_events_total{kind=\"daemon.started\"} 2.0\n",
                "usblogd_events_total{kind=\"decode.bad\"} 3.0\n",
                "usblogd_events_total{kind=\"device.attached\"} 1.0\n");
    }

    @Test
    void theStoreShowsItsWriterFiguresBytesAndNoOutage() throws IOException {
        String text = text(figures(null, 4_096L, 250_000_000L));
        assertThat(text).contains("usblogd_store_outage 0.0\n", "usblogd_store_bytes 4096.0\n",
                "usblogd_store_samples_accepted_total 1300.0\n", "usblogd_store_samples_written_total 1234.0\n",
                "usblogd_store_samples_dropped_total 7.0\n", "usblogd_store_queue_samples 66.0\n",
                "usblogd_store_held_bytes 8192.0\n", "# TYPE usblogd_store_commit_seconds summary\n",
                "usblogd_store_commit_seconds_count 40\n", "usblogd_store_commit_seconds_sum 0.2\n",
                "usblogd_store_commit_max_seconds 0.25\n");
    }

    @Test
    void aStoreInOutageSaysSoAndAServersStoreHasNoBytes() throws IOException {
        String text = text(figures(new Status.Outage("2026-12-02T00:30:00Z", "disk full"), null, 0));
        assertThat(text).contains("usblogd_store_outage 1.0\n").doesNotContain("usblogd_store_bytes");
    }

    @Test
    void pluginChangesAndBundlesAreShownByKindAndState() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("usblogd_plugin_changes_total{kind=\"updated\"} 1.0\n",
                "usblogd_plugin_changes_total{kind=\"uninstalled\"} 0.0\n",
                "usblogd_plugin_bundles{state=\"active\"} 8.0\n");
    }

    @Test
    void theJvmShowsItsMemoryByAreaAndItsThreadsAndNoMaxWhereThereIsNoLimit() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        assertThat(text).contains("usblogd_jvm_memory_used_bytes{area=\"heap\"} 1.0E7\n",
                "usblogd_jvm_memory_used_bytes{area=\"nonheap\"} 3.0E7\n",
                "usblogd_jvm_memory_committed_bytes{area=\"heap\"} 2.0E7\n",
                "usblogd_jvm_memory_max_bytes{area=\"heap\"} 6.4E7\n", "usblogd_jvm_threads 25.0\n",
                "usblogd_jvm_threads_daemon 20.0\n", "usblogd_jvm_threads_peak 30.0\n",
                "usblogd_uptime_seconds 3600.0\n")
                .doesNotContain("usblogd_jvm_memory_max_bytes{area=\"nonheap\"}");
    }

    @Test
    void everyMetricHasHelpText() throws IOException {
        String text = text(figures(null, 4_096L, 0));
        long types = text.lines().filter(l -> l.startsWith("# TYPE ")).count();
        long helps = text.lines().filter(l -> l.startsWith("# HELP ") && l.split(" ", 4).length == 4).count();
        assertThat(types).isGreaterThan(20).isEqualTo(helps);
    }

    @Test
    void theJvmFiguresAreReadFromThisJvm() {
        JvmFigures j = JvmFigures.read();
        assertThat(j.heapUsed()).isPositive();
        assertThat(j.threads()).isPositive().isLessThanOrEqualTo(j.peakThreads());
    }
}
