package org.usblogd.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.usblogd.api.store.Micros;
import org.usblogd.api.store.SampleQuery;
import org.usblogd.store.jdbc.SqlSampleStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * bench/http: the HTTP API's figures against the assembled daemon as a process, from a client on this machine.
 * <ol>
 * <li>one channel-month at 10 samples/s as at most 2,000 points, against the same month read raw through the
 * store ({@code SampleStore.samples}) and bucketed by the client; one channel-day of raw samples;</li>
 * <li>the age of a sample when it reaches an open stream, with the demo's devices and 10 streams open;</li>
 * <li>the page's weight as served;</li>
 * <li>the resident memory of the daemon with the HTTP API enabled and disabled, side by side.</li>
 * </ol>
 * Prints figures; asserts nothing.
 */
public final class HttpBenchmark {
    private static final String OUT = "http bench: ";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Path work;
    private final int runs = Integer.getInteger("usblogd.bench.runs", 10);
    private final int warmups = Integer.getInteger("usblogd.bench.warmups", 3);

    private HttpBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("usblogd.bench.dir", "target/http-bench")).toAbsolutePath();
        Files.createDirectories(work);
        String parts = System.getProperty("usblogd.bench.parts", "month,live,page,memory");
        HttpBenchmark bench = new HttpBenchmark(work);
        // the installation as this build assembled it, copied afresh (the benchmark edits its conf/)
        ChannelMonth.delete(work.resolve("home"));
        ChannelMonth.delete(work.resolve("home-off"));
        ChannelMonth.delete(work.resolve("home-live"));
        System.out.println(OUT + "in " + work + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + load() + " (1, 5, 15 min) before");
        if (parts.contains("month")) {
            bench.month();
        }
        if (parts.contains("live") || parts.contains("page")) {
            bench.liveAndPage(parts.contains("live"), parts.contains("page"));
        }
        if (parts.contains("memory")) {
            int seconds = Integer.getInteger("usblogd.bench.memorySeconds", 60);
            bench.memory(seconds, "");
            // the same with equal heaps, committed and touched from the start: the difference is what is not heap
            bench.memory(seconds / 2, "-Xms128m -Xmx128m -XX:+AlwaysPreTouch");
        }
        System.out.println(OUT + "load average " + load() + " after");
    }

    /** 1. A month as at most 2,000 points, a day raw, and the month read raw through the store as the baseline. */
    private void month() throws Exception {
        ChannelMonth month = ChannelMonth.prepared(work);
        System.out.printf(OUT + "channel-month: %,d samples of %s %s, %s to %s, %,d bytes of H2 file (%s)%n",
                month.samples, ChannelMonth.DEVICE, ChannelMonth.CHANNEL, Micros.toInstant(month.start),
                Micros.toInstant(month.end), Long.parseLong(month.fact("fileBytes")), month.written ? "written now in "
                        + month.fact("writeSeconds") + " s" : "cached from an earlier run");
        try (BenchDaemon daemon = BenchDaemon.start(work.resolve("home"), "port = 0\n", month.state)) {
            String api = ready(daemon);
            boolean summarisedBefore = month.summarisedSeconds() != null;
            month.awaitSummaries(daemon.startedNanos);
            System.out.printf(OUT + "minute and hour summaries built by the daemon's maintenance in %s s from its start"
                    + "%s%n", month.summarisedSeconds(), summarisedBefore ? " (on the run that made the month)" : "");
            String base = api + "/samples?device=" + enc(ChannelMonth.DEVICE) + "&channel=" + ChannelMonth.CHANNEL;
            String whole = base + "&from=" + enc(Micros.toInstant(month.start).toString()) + "&to="
                    + enc(Micros.toInstant(month.end).toString());

            Timed m = time(List.of(whole + "&maxPoints=2000"));
            System.out.printf(OUT + "one channel-month as <= 2,000 points: best %.1f ms, median %.1f ms (target < 200 ms);"
                    + " %d points, tier %s, %s s buckets, %,d bytes%n", m.best(), m.median(), m.points, m.tier,
                    m.bucketSeconds, m.bytes);

            String week = base + "&maxPoints=2000&from=" + enc(Micros.toInstant(month.end - 7 * 86_400_000_000L)
                    .toString()) + "&to=" + enc(Micros.toInstant(month.end).toString());
            Timed w = time(List.of(week));
            System.out.printf(OUT + "one channel-week as <= 2,000 points: best %.1f ms, median %.1f ms; %d points, tier %s,"
                    + " %s s buckets%n", w.best(), w.median(), w.points, w.tier, w.bucketSeconds);

            // a day in the middle of the month, in one request
            long day = month.start + 15 * 86_400_000_000L;
            Timed d = time(List.of(base + "&maxPoints=1000000&from=" + enc(Micros.toInstant(day).toString()) + "&to="
                    + enc(Micros.toInstant(day + 86_400_000_000L).toString())));
            System.out.printf(OUT + "one channel-day of raw samples in one request: best %.1f ms, median %.1f ms"
                    + " (target < 300 ms); %,d points, tier %s, %,d bytes%n", d.best(), d.median(), d.points, d.tier,
                    d.bytes);

            double[] rawDay = baseline(daemon, day, day + 86_400_000_000L, 60, 86_400 * ChannelMonth.PER_SECOND);
            System.out.printf(OUT + "  the same day read raw through the store (SampleStore.samples over the daemon's"
                    + " database server, no JSON): best %.0f ms, median %.0f ms%n", rawDay[0], rawDay[1]);

            double[] raw = baseline(daemon, month.start, month.end, m.bucketSeconds, month.samples);
            System.out.printf(OUT + "baseline, the month read raw through the store (SampleStore.samples over the"
                    + " daemon's database server) and bucketed by the client: best %.0f ms, median %.0f ms (%d runs);"
                    + " the API's summaries %.0fx faster (best to best)%n", raw[0], raw[1], (int) raw[2],
                    raw[0] / m.best());
        }
    }

    /** Reading the month raw and bucketing it like the API: best and median ms. */
    private double[] baseline(BenchDaemon daemon, long from, long to, long bucketSeconds, long expected)
            throws Exception {
        SqlSampleStore store = new SqlSampleStore(daemon.database());
        int n = Integer.getInteger("usblogd.bench.baselineRuns", 3);
        long width = bucketSeconds * 1_000_000L;
        List<Double> ms = new ArrayList<>();
        for (int round = 0; round <= n; round++) { // round 0 warms up
            long start = System.nanoTime();
            Map<Long, double[]> buckets = new TreeMap<>();
            long count = store.samples(new SampleQuery(ChannelMonth.DEVICE, ChannelMonth.CHANNEL, Micros.toInstant(
                    from), Micros.toInstant(to)), s -> {
                        double[] b = buckets.computeIfAbsent(Math.floorDiv(s.timeMicros(), width), k -> new double[] {
                                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0 });
                        b[0] = Math.min(b[0], s.value());
                        b[1] = Math.max(b[1], s.value());
                        b[2] += s.value();
                        b[3]++;
                    });
            if (round > 0) {
                ms.add((System.nanoTime() - start) / 1e6);
            }
            if (Math.abs(count - expected) > 1) { // a sample's jitter may take it over a bound
                throw new IllegalStateException("read " + count + " of " + expected + " samples");
            }
        }
        Collections.sort(ms);
        return new double[] { ms.get(0), ms.get(ms.size() / 2), n };
    }

    /** What a series of requests, one after the other, took: per round of all of them. */
    private record Timed(List<Double> ms, long points, String tier, Long bucketSeconds, long bytes) {
        double best() {
            return ms.get(0);
        }

        double median() {
            return ms.get(ms.size() / 2);
        }
    }

    private Timed time(List<String> urls) throws Exception {
        List<Double> ms = new ArrayList<>();
        long points = 0;
        long bytes = 0;
        String tier = null;
        Long bucketSeconds = null;
        for (int round = 0; round < warmups + runs; round++) {
            List<byte[]> bodies = new ArrayList<>();
            long start = System.nanoTime();
            for (String url : urls) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration
                        .ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body(),
                            StandardCharsets.UTF_8));
                }
                bodies.add(r.body());
            }
            double took = (System.nanoTime() - start) / 1e6;
            if (round >= warmups) {
                ms.add(took);
            }
            points = 0;
            bytes = 0;
            for (byte[] body : bodies) {
                JsonNode answer = json.readTree(body);
                tier = answer.get("tier").asText();
                bucketSeconds = answer.hasNonNull("bucketSeconds") ? answer.get("bucketSeconds").asLong() : null;
                for (JsonNode series : answer.get("series")) {
                    points += series.get("timeMicros").size();
                }
                bytes += body.length;
            }
        }
        Collections.sort(ms);
        return new Timed(ms, points, tier, bucketSeconds, bytes);
    }

    /** 2 and 3. The demo with 10 streams open: each sample's age on arrival; then the page's files as served. */
    private void liveAndPage(boolean live, boolean page) throws Exception {
        Path state = work.resolve("live/state");
        ChannelMonth.delete(state);
        // the counter twin and its driver beside the demo, idle until conf/ asks for counters (see stream)
        Path home = PluginJars.copyOfPackage(work.resolve("home-live"));
        Files.copy(PluginJars.counterTwin(), home.resolve("demo/bundles/counter-twin.jar"));
        Files.copy(PluginJars.counterDriver(), home.resolve("plugins/counter-driver.jar"));
        try (BenchDaemon daemon = BenchDaemon.start(home, "port = 0\n", state, "--demo")) {
            String api = ready(daemon);
            if (live) {
                stream(api, home, Integer.getInteger("usblogd.bench.streams", 10), Integer.getInteger(
                        "usblogd.bench.liveSeconds", 30));
            }
            if (page) {
                pageWeight(api.substring(0, api.length() - "/api/v1".length()));
            }
        }
    }

    private void stream(String api, Path home, int streams, int seconds) throws Exception {
        int demo = logging(api, 0);
        int wanted = Integer.getInteger("usblogd.bench.devices", 15);
        int devices = demo;
        if (demo < wanted) {
            // counters reporting 10 times a second, as the test installations add them
            Files.writeString(home.resolve("conf/org.usblogd.sim.counters.cfg"), "count = " + (wanted - demo)
                    + "\nperiod.ms = 100\n");
            devices = logging(api, wanted);
        }
        System.out.printf(OUT + "live: run --demo logs %d devices%s; %d streams open on /api/v1/stream for %d s%n",
                devices, demo < wanted ? ", " + demo + " of the demo and " + (devices - demo) + " counter twins"
                        : "", streams, seconds);
        measureStreams(api, streams, seconds);
    }

    /** The devices logging, once their count has stayed for 10 s (and is at least {@code atLeast}). */
    private int logging(String api, int atLeast) throws Exception {
        int devices = 0;
        long stable = System.nanoTime();
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline && (System.nanoTime() - stable < 10_000_000_000L || devices < atLeast)) {
            int n = 0;
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/devices")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) { // the API's servlet not registered yet
                Thread.sleep(500);
                continue;
            }
            for (JsonNode d : json.readTree(r.body())) {
                if (d.path("state").asText().equals("logging")) {
                    n++;
                }
            }
            if (n != devices) {
                devices = n;
                stable = System.nanoTime();
            }
            Thread.sleep(500);
        }
        return devices;
    }

    private void measureStreams(String api, int streams, int seconds) throws Exception {

        List<Long> sampleAges = Collections.synchronizedList(new ArrayList<>());
        List<Long> commitAges = Collections.synchronizedList(new ArrayList<>());
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        AtomicLong dropped = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> readers = new ArrayList<>();
        List<InputStream> bodies = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < streams; i++) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(api + "/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/stream answered " + r.statusCode());
            }
            bodies.add(r.body());
            Thread t = new Thread(() -> read(r.body(), end, sampleAges, commitAges, seen, dropped), "stream-" + i);
            t.start();
            readers.add(t);
        }
        for (Thread t : readers) {
            t.join((seconds + 30) * 1_000L);
        }
        for (InputStream in : bodies) {
            in.close();
        }
        long[] s = sampleAges.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] c = commitAges.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(OUT + "live: age of each sample on arrival (arrival - its time stamp): p50 %.0f ms, p99 %.0f"
                + " ms, max %.0f ms, min %.0f ms over %,d samples of %d channels in %d streams%n", pct(s, 0.5),
                pct(s, 0.99), pct(s, 1), pct(s, 0), s.length, seen.size(), streams);
        System.out.printf(OUT + "live: per commit (arrival - newest sample of the commit; an upper bound of commit ->"
                + " page, target p99 <= 500 ms): p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d commits; %d dropped%n",
                pct(c, 0.5), pct(c, 0.99), pct(c, 1), c.length, dropped.get());
    }

    /** One stream's events until {@code end}: the ages, in ms, of each sample and of each commit's newest. */
    private void read(InputStream body, long end, List<Long> sampleAges, List<Long> commitAges,
            Map<String, Boolean> seen, AtomicLong dropped) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = in.readLine(); line != null && System.nanoTime() < end; line = in.readLine()) {
                Instant arrival = Instant.now();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "samples".equals(event)) {
                    long now = Micros.of(arrival);
                    long newest = Long.MIN_VALUE;
                    List<Long> ages = new ArrayList<>();
                    for (JsonNode x : json.readTree(line.substring(6))) {
                        long t = Micros.of(Instant.parse(x.get("time").asText()));
                        newest = Math.max(newest, t);
                        ages.add((now - t) / 1_000);
                        seen.put(x.get("device").asText() + " " + x.get("channel").asText(), true);
                    }
                    sampleAges.addAll(ages);
                    if (newest != Long.MIN_VALUE) {
                        commitAges.add((now - newest) / 1_000);
                    }
                } else if (line.startsWith("data: ") && "dropped".equals(event)) {
                    dropped.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // closed at the end
        }
    }

    /** The page's files as a browser fetches them, plain and, if the server compresses, gzip. */
    private void pageWeight(String root) throws Exception {
        long plain = 0;
        long gzip = 0;
        StringBuilder each = new StringBuilder();
        for (String file : List.of("/", "/app.js", "/app.css", "/uPlot.iife.min.js", "/uPlot.min.css")) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(root + file)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> z = http.send(HttpRequest.newBuilder(URI.create(root + file)).header(
                    "Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(root + file + " answered " + r.statusCode());
            }
            plain += r.body().length;
            gzip += z.body().length;
            each.append(String.format(" %s %,d", file, r.body().length));
        }
        System.out.printf(OUT + "page weight: %,d bytes as served (%s), %,d bytes asked with Accept-Encoding: gzip"
                + " (target < 300 kB)%n", plain, each.toString().strip(), gzip);
    }

    /** 4. Two daemons side by side, on the demo, one with the HTTP API disabled: VmRSS after a while, VmHWM. */
    private void memory(int seconds, String javaOptions) throws Exception {
        ChannelMonth.delete(work.resolve("memory"));
        try (BenchDaemon on = BenchDaemon.start(work.resolve("home"), "port = 0\n", work.resolve("memory/on"),
                List.of("--demo"), javaOptions);
                BenchDaemon off = BenchDaemon.start(work.resolve("home-off"), "enabled = false\n", work.resolve(
                        "memory/off"), List.of("--demo"), javaOptions)) {
            ready(on);
            off.awaitStarted();
            Thread.sleep(seconds * 1_000L);
            long[] a = on.memoryKb();
            long[] b = off.memoryKb();
            System.out.printf(OUT + "memory after %d s of run --demo%s, side by side, no client: HTTP API enabled"
                    + " VmRSS %,d kB (peak VmHWM %,d kB), disabled %,d kB (peak %,d kB): the API adds %,d kB resident,"
                    + " %,d kB at peak (target <= 20 MB)%n", seconds, javaOptions.isEmpty() ? " (the JVM's own heap"
                            + " sizing)" : " with " + javaOptions, a[0], a[1], b[0], b[1], a[0] - b[0], a[1] - b[1]);
            // what the JVM holds live, without the garbage its collector has not needed to collect yet
            long[] c = JvmMemory.afterFullGc(on.pid());
            long[] d = JvmMemory.afterFullGc(off.pid());
            if (c != null && d != null) {
                Thread.sleep(2_000);
                long[] e = on.memoryKb();
                long[] f = off.memoryKb();
                System.out.printf(OUT + "  after a full GC (jcmd GC.run): heap used %,d kB and metaspace used %,d kB"
                        + " enabled, %,d kB and %,d kB disabled: the API holds %,d kB of heap and %,d kB of classes;"
                        + " VmRSS then %,d kB and %,d kB: %,d kB more%n", c[0], c[1], d[0], d[1], c[0] - d[0],
                        c[1] - d[1], e[0], f[0], e[0] - f[0]);
            }
        }
    }

    /** The API's base once it answers: the log line comes when Jetty listens, the servlet a moment later. */
    private String ready(BenchDaemon daemon) throws Exception {
        String api = daemon.api();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (http.send(HttpRequest.newBuilder(URI.create(api + "/status")).build(), HttpResponse.BodyHandlers
                .discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(api + "/status did not answer 200 within 60 s");
            }
            Thread.sleep(200);
        }
        return api;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private static String load() {
        try {
            return String.join(", ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
