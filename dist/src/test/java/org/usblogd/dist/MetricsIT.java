package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of the assembled daemon, as Prometheus scrapes it: {@code run --demo} shows every demo
 * device's samples and state, the store's figures, the JVM's memory and threads, counts a plugin's hot swap,
 * and a later scrape has more samples; with a token, only a scrape that sends it gets the figures.
 */
class MetricsIT {
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final String CO2 = "04d9:a052@v1-1";

    @TempDir
    Path tmp;
    Process daemon;
    Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One series of a scrape: its name, labels and value. */
    record Series(String name, Map<String, String> labels, double value) {
    }

    /** A scrape, parsed: every series, and the names that have a HELP and a TYPE line. */
    record Scrape(List<Series> series, Set<String> helped, Set<String> typed) {
        List<Series> named(String name) {
            return series.stream().filter(s -> s.name().equals(name)).toList();
        }

        double value(String name, String... labels) {
            List<Series> found = named(name).stream().filter(s -> {
                for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                        return false;
                    }
                }
                return true;
            }).toList();
            assertThat(found).as("%s %s", name, List.of(labels)).hasSize(1);
            return found.get(0).value();
        }

        /** Each device with its samples stored. */
        Map<String, Double> stored() {
            return named("usblogd_device_samples_stored").stream().collect(Collectors.toMap(
                    s -> s.labels().get("device"), Series::value, (a, b) -> a, LinkedHashMap::new));
        }
    }

    @AfterEach
    void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDemosMetricsShowEveryDeviceTheStoreAndTheJvmCountAHotSwapAndGrowFromOneScrapeToTheNext()
            throws Exception {
        Path home = start("port = 0\n", "--demo");
        String metrics = "http://127.0.0.1:" + HttpDaemon.awaitListening(log) + "/metrics";
        // the demo's devices that a driver takes, as their twins declare them (vendor:product)
        Set<String> logging = DeviceFamilies.expected().stream().filter(e -> e.what().equals("sample"))
                .map(DeviceFamilies.Expected::device).collect(Collectors.toCollection(TreeSet::new));
        try {
            Dist.await("every demo device with a driver logging, with samples stored", 90_000, () -> {
                try {
                    Scrape s = scrape(metrics);
                    return logging.stream().allMatch(vidPid -> s.stored().entrySet().stream().anyMatch(d -> d.getKey()
                            .startsWith(vidPid) && d.getValue() > 0 && s.value("usblogd_device_state", "device",
                                    d.getKey(), "state", "logging") == 1));
                } catch (IOException | InterruptedException | AssertionError e) {
                    return false;
                }
            });
            HttpResponse<String> first = get(metrics, null);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            Scrape s = parse(first.body());

            assertThat(s.stored()).as("devices").isNotEmpty().containsKey(CO2);
            for (String device : s.stored().keySet()) {
                assertThat(s.named("usblogd_device_state").stream().filter(x -> x.labels().get("device")
                        .equals(device) && x.value() == 1)).as("the states of %s", device).hasSize(1);
                assertThat(s.value("usblogd_device_attached", "device", device)).as(device).isEqualTo(1);
                assertThat(s.value("usblogd_device_samples_dropped_total", "device", device)).as(device).isZero();
                assertThat(s.value("usblogd_device_rejected_events_total", "device", device, "kind", "decode.bad"))
                        .as(device).isGreaterThanOrEqualTo(0);
                assertThat(s.value("usblogd_device_recoveries_total", "device", device, "kind", "recovery.reset"))
                        .as(device).isGreaterThanOrEqualTo(0);
            }
            assertThat(s.value("usblogd_device_last_sample_age_seconds", "device", CO2)).isBetween(0.0, 30.0);

            assertThat(s.value("usblogd_store_outage")).isZero();
            assertThat(s.value("usblogd_store_bytes")).isPositive();
            assertThat(s.value("usblogd_store_samples_written_total")).isPositive();
            assertThat(s.value("usblogd_store_samples_accepted_total"))
                    .isGreaterThanOrEqualTo(s.value("usblogd_store_samples_written_total"));
            assertThat(s.value("usblogd_store_samples_dropped_total")).isZero();
            assertThat(s.value("usblogd_store_queue_samples")).isGreaterThanOrEqualTo(0);
            assertThat(s.value("usblogd_store_held_bytes")).isGreaterThanOrEqualTo(0);
            assertThat(s.value("usblogd_store_commit_seconds_count")).isPositive();
            assertThat(s.value("usblogd_store_commit_seconds_sum")).isPositive()
                    .isLessThan(s.value("usblogd_store_commit_seconds_count"));
            assertThat(s.value("usblogd_store_commit_max_seconds")).isBetween(0.0, 10.0);
            assertThat(s.value("usblogd_events_total", "kind", "daemon.started")).isGreaterThanOrEqualTo(1);

            assertThat(s.value("usblogd_jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(s.value("usblogd_jvm_memory_committed_bytes", "area", "nonheap")).isPositive();
            assertThat(s.value("usblogd_jvm_threads")).isPositive();
            assertThat(s.value("usblogd_jvm_threads_peak")).isGreaterThanOrEqualTo(s.value("usblogd_jvm_threads"));
            assertThat(s.value("usblogd_uptime_seconds")).isPositive();
            long pluginJars;
            try (var all = Files.list(home.resolve("plugins"))) {
                pluginJars = all.filter(p -> p.toString().endsWith(".jar")).count();
            }
            assertThat(s.value("usblogd_plugin_bundles", "state", "active")).as("a bundle per jar in plugins/")
                    .isEqualTo(pluginJars);
            assertThat(s.value("usblogd_plugin_changes_total", "kind", "updated")).isZero();

            // every series has its HELP and TYPE (a summary's _count and _sum are its own)
            for (Series x : s.series()) {
                String family = x.name().replaceAll("_(total|count|sum)$", "");
                assertThat(s.helped()).as(x.name()).containsAnyOf(x.name(), family);
                assertThat(s.typed()).as(x.name()).containsAnyOf(x.name(), family);
            }

            // a plugin's jar replaced by a new version: one hot swap
            Path plugins = home.resolve("plugins");
            Path jar;
            try (var jars = Files.list(plugins)) {
                jar = jars.filter(p -> p.getFileName().toString().startsWith("wensn")).findFirst().orElseThrow();
            }
            PluginJars.drop(PluginJars.withVersion(jar, "9.9.9", null, null), plugins, jar.getFileName().toString());
            Dist.await("the hot swap counted", 30_000, () -> {
                try {
                    return scrape(metrics).value("usblogd_plugin_changes_total", "kind", "updated") == 1;
                } catch (IOException | InterruptedException | AssertionError e) {
                    return false;
                }
            });

            // the per-device figures are read at most every 5 s, however often they are asked for
            Dist.await("a later scrape with more of the CO2 monitor's samples", 20_000, () -> {
                try {
                    return scrape(metrics).value("usblogd_device_samples_stored", "device", CO2)
                            > s.value("usblogd_device_samples_stored", "device", CO2);
                } catch (IOException | InterruptedException | AssertionError e) {
                    return false;
                }
            });
            Scrape later = scrape(metrics);
            assertThat(later.value("usblogd_store_samples_written_total"))
                    .isGreaterThan(s.value("usblogd_store_samples_written_total"));
            assertThat(later.value("usblogd_store_commit_seconds_count"))
                    .isGreaterThan(s.value("usblogd_store_commit_seconds_count"));
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        }
    }

    @Test
    void withATokenOnlyAScrapeThatSendsItGetsTheMetrics() throws Exception {
        String token = "9d2e7f1a3b6c4e58";
        start("port = 0\ntoken = " + token + "\n");
        String metrics = "http://127.0.0.1:" + HttpDaemon.awaitListening(log) + "/metrics";
        try {
            // Jetty listens a moment before the servlets are registered on it
            Dist.await("/metrics answering", 20_000, () -> {
                try {
                    return get(metrics, token).statusCode() != 404;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            assertThat(get(metrics, null).statusCode()).isEqualTo(401);
            assertThat(get(metrics, "not-" + token).statusCode()).isEqualTo(401);
            HttpResponse<String> right = get(metrics, token);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(parse(right.body()).value("usblogd_jvm_threads")).isPositive();
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        }
    }

    private Path start(String httpConfig, String... options) throws IOException {
        HttpDaemon d = HttpDaemon.start(tmp, httpConfig, options);
        daemon = d.process();
        log = d.log();
        return d.home();
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return http.send(HttpDaemon.request(url, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Scrape scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = get(url, null);
        assertThat(r.statusCode()).isEqualTo(200);
        return parse(r.body());
    }

    /** The Prometheus text format (0.0.4): comment lines, and one series per line. */
    private static Scrape parse(String text) {
        List<Series> series = new ArrayList<>();
        Set<String> helped = new TreeSet<>();
        Set<String> typed = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] f = line.split(" ", 4);
                assertThat(f).as(line).hasSize(4);
                helped.add(f[2]);
            } else if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
            } else if (!line.isBlank()) {
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("a series line: %s", line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    int end = 0;
                    while (l.find() && l.start() == end) {
                        labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                        end = l.end();
                    }
                    assertThat(end).as("labels of %s", line).isEqualTo(m.group(2).length());
                }
                series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return new Scrape(series, helped, typed);
    }
}
