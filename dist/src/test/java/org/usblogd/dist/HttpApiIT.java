package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP API of the assembled daemon, as a client sees it: {@code run --demo} says where it listens, every
 * endpoint answers with the demo's data, the live stream delivers new samples, a request it cannot answer is a
 * 4xx with a JSON message; an address beyond this machine without a token listens nowhere and says so in one
 * line, and with a token a wrong one is a 401 and the right one gets in.
 */
class HttpApiIT {
    private static final String CO2 = "04d9:a052@v1-1";
    private static final String POWER = "2e3c:5558";

    @TempDir
    Path tmp;
    Process daemon;
    Path log;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyEndpointAnswersWithTheDemosDataAndTheStreamDeliversNewSamples() throws Exception {
        Path home = start("port = 0\n", "--demo");
        String api = "http://127.0.0.1:" + HttpDaemon.awaitListening(log) + "/api/v1";
        try {
            Dist.await("the CO2 monitor's newest value through the API", 60_000, when(
                    () -> co2(get(api + "/devices").body()) != null));
            JsonNode status = json.readTree(get(api + "/status").body());
            assertThat(status.at("/daemon/running").asBoolean()).isTrue();
            assertThat(status.at("/daemon/pid").asLong()).isEqualTo(daemon.pid());
            assertThat(status.at("/store/state").asText()).isEqualTo("open");
            assertThat(status.at("/devices")).extracting(d -> d.get("device").asText()).contains(CO2);

            JsonNode co2 = co2(get(api + "/devices").body());
            assertThat(co2.get("state").asText()).isEqualTo("logging");
            assertThat(co2.get("unit").asText()).isEqualTo("ppm");
            assertThat(co2.get("lastValue").asDouble()).isBetween(300.0, 5_000.0);

            JsonNode channels = json.readTree(get(api + "/devices/" + CO2 + "/channels").body());
            assertThat(channels).extracting(c -> c.get("name").asText() + " " + c.get("unit").asText())
                    .contains("co2 ppm", "temperature °C", "humidity %RH");

            JsonNode raw = json.readTree(get(api + "/samples?device=" + enc(CO2) + "&channel=co2&from=-1h").body());
            assertThat(raw.get("tier").asText()).isEqualTo("raw");
            assertThat(raw.at("/series/0/unit").asText()).isEqualTo("ppm");
            assertThat(raw.at("/series/0/value")).isNotEmpty().allSatisfy(v -> assertThat(v.asDouble())
                    .isBetween(300.0, 5_000.0));
            assertThat(raw.at("/series/0/timeMicros").size()).isEqualTo(raw.at("/series/0/value").size());

            // the power meter's 100 samples/s in 3 points: buckets of minutes with min, max, mean and count, which
            // add up to every raw sample of the range (one that is over: nothing arrives in it any more)
            String power = json.readTree(get(api + "/devices").body()).findValues("device").stream()
                    .map(JsonNode::asText).filter(d -> d.startsWith(POWER)).findFirst().orElseThrow();
            String[] voltage = new String[1];
            int[] rawCount = new int[1];
            Dist.await("power meter samples in a range that is over", 30_000, when(() -> {
                java.time.Instant to = java.time.Instant.now().minusSeconds(2);
                voltage[0] = api + "/samples?device=" + enc(power) + "&channel=voltage&from="
                        + enc(to.minusSeconds(600).toString()) + "&to=" + enc(to.toString());
                JsonNode all = json.readTree(get(voltage[0] + "&maxPoints=100000").body());
                rawCount[0] = all.at("/series/0/timeMicros").size();
                return all.get("tier").asText().equals("raw") && rawCount[0] > 3;
            }));
            JsonNode buckets = json.readTree(get(voltage[0] + "&maxPoints=3").body());
            assertThat(buckets.get("tier").asText()).isEqualTo("minute");
            // 10 minutes and the part of a minute before them, counted from that minute's start: 11 minutes in 3
            assertThat(buckets.get("bucketSeconds").asLong()).isEqualTo(240);
            JsonNode series = buckets.at("/series/0");
            assertThat(series.get("timeMicros").size()).isBetween(1, 3);
            long counted = 0;
            for (int i = 0; i < series.get("timeMicros").size(); i++) {
                assertThat(series.get("min").get(i).asDouble()).isLessThanOrEqualTo(series.get("mean").get(i).asDouble());
                assertThat(series.get("mean").get(i).asDouble()).isLessThanOrEqualTo(series.get("max").get(i).asDouble());
                counted += series.get("count").get(i).asLong();
            }
            assertThat(counted).as("samples summed up in the buckets").isEqualTo(rawCount[0]);

            JsonNode events = json.readTree(get(api + "/events?kind=daemon.started").body());
            assertThat(events.get("events")).isNotEmpty();
            assertThat(events.at("/events/0/kind").asText()).isEqualTo("daemon.started");
            assertThat(json.readTree(get(api + "/events?limit=2").body()).get("more").asBoolean()).isTrue();
            // the newest first, in one request: what the page lists (read again if an event came in between)
            Dist.await("the two newest events, newest first", 10_000, when(() -> {
                JsonNode all = json.readTree(get(api + "/events?limit=10000").body()).get("events");
                JsonNode newest = json.readTree(get(api + "/events?limit=2&order=newest").body());
                return newest.get("more").asBoolean() && newest.at("/events/0/id").asLong() == all.get(all.size() - 1)
                        .get("id").asLong() && newest.at("/events/1/id").asLong() == all.get(all.size() - 2).get("id")
                                .asLong();
            }));

            String sample = firstStreamed(api + "/stream?device=" + enc(CO2) + "&channel=co2", "event: samples");
            JsonNode streamed = json.readTree(sample.substring("data: ".length()));
            assertThat(streamed).isNotEmpty().allSatisfy(s -> {
                assertThat(s.get("device").asText()).isEqualTo(CO2);
                assertThat(s.get("channel").asText()).isEqualTo("co2");
                assertThat(s.get("unit").asText()).isEqualTo("ppm");
            });

            // what cannot be answered as asked: 4xx, one message, and what is known instead; never a stack trace
            for (String bad : List.of("/samples?device=nope&channel=co2", "/samples?device=" + enc(CO2)
                    + "&channel=nope", "/samples?device=" + enc(CO2) + "&channel=co2&from=yesterday-ish",
                    "/samples?device=" + enc(CO2) + "&channel=co2&from=now&to=-1h", "/samples?device=" + enc(CO2)
                            + "&channel=co2&maxPoints=100000000", "/samples?device=" + enc(CO2)
                            + "&channel=co2&from=1200-01-01", "/samples?channel=co2", "/samples?device=" + enc(CO2)
                            + "&channel=co2&maxPoints=many", "/events?kind=nope", "/events?device=nope",
                    "/events?limit=0", "/events?order=latest", "/devices/nope/channels", "/stream?device=nope",
                    "/nothing", "/status?verbose=1", "/samples?device=" + enc(CO2) + "&channel=co2&maxpoints=3",
                    "/stream?chanel=co2")) {
                HttpResponse<String> r = get(api + bad);
                assertThat(r.statusCode()).as(bad).isBetween(400, 499);
                assertThat(json.readTree(r.body()).get("error").asText()).as(bad).isNotBlank();
                assertThat(r.body()).as(bad).doesNotContain("Exception", "\tat ");
            }
            assertThat(json.readTree(get(api + "/samples?device=nope&channel=co2").body()).get("known"))
                    .extracting(JsonNode::asText).contains(CO2);
            JsonNode misspelt = json.readTree(get(api + "/samples?device=" + enc(CO2) + "&channel=co2&maxpoints=3")
                    .body());
            assertThat(misspelt.get("error").asText()).contains("unknown parameter 'maxpoints'");
            assertThat(misspelt.get("known")).extracting(JsonNode::asText).contains("maxPoints");
            HttpResponse<String> page = get(api.replace("/api/v1", "/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).as("the page's policy")
                    .contains("default-src 'self'", "frame-ancestors 'none'").doesNotContain("script-src");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(api + "/status"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(Files.readString(log)).doesNotContain("Exception");
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        }
        assertThat(home).isNotNull();
    }

    @Test
    void bucketsCountExactlyTheSamplesOfARangeWhateverItsEdgesAndNeverOutnumberMaxPoints() throws Exception {
        // six hours of a 10 Hz thermometer, starting inside a minute and ending an hour ago, which the daemon's
        // maintenance summarises into minutes and hours
        long hour = 3_600_000_000L;
        long end = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).getEpochSecond()
                * 1_000_000L - hour;
        long start = end - 6 * hour + 1_043_400_000L;
        Path state = tmp.resolve("state");
        org.usblogd.store.jdbc.StoreLocation location = new org.usblogd.store.jdbc.StoreLocation(state);
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(location.embeddedUrl());
        ds.setUser(org.usblogd.store.jdbc.StoreLocation.USER);
        ds.setPassword(location.password());
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            TemperatureBlocks.write(c, "413d:2107@1-2", null, start, (end - start) / 100_000L, 5);
            st.execute("SHUTDOWN");
        }
        start("port = 0\n");
        String api = "http://127.0.0.1:" + HttpDaemon.awaitListening(log) + "/api/v1";
        Samples stored = new Samples(state);
        Dist.await("the minute and hour summaries", 120_000, when(() -> stored.summarised(TemperatureBlocks.CHANNEL,
                end)));
        String base = api + "/samples?device=" + enc("413d:2107@1-2") + "&channel=" + TemperatureBlocks.CHANNEL;
        long minute = 60_000_000L;
        long[][] ranges = {
            { start + 40 * minute + 7_300_000L, end - 72 * minute - 3_100_000L }, // whole hours and ragged edges
            { start + 63 * minute + 2_500_000L, start + 69 * minute + 41_900_000L }, // inside one hour
            { start - 5 * minute, end + 10 * minute }, // beyond the data at both ends
            { start + 3 * hour + 17, end + hour }, // to the present: the end summaries do not cover
        };
        for (long[] range : ranges) {
            String url = base + "&from=" + enc(org.usblogd.api.store.Micros.toInstant(range[0]).toString()) + "&to="
                    + enc(org.usblogd.api.store.Micros.toInstant(range[1]).toString());
            JsonNode raw = json.readTree(get(url + "&maxPoints=1000000").body());
            assertThat(raw.get("tier").asText()).isEqualTo("raw");
            JsonNode values = raw.at("/series/0/value");
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (JsonNode v : values) {
                min = Math.min(min, v.asDouble());
                max = Math.max(max, v.asDouble());
                sum += v.asDouble();
            }
            for (int maxPoints : new int[] { 1, 2, 3, 7, 50, 500 }) {
                JsonNode answer = json.readTree(get(url + "&maxPoints=" + maxPoints).body());
                String what = url + "&maxPoints=" + maxPoints + ": " + answer.get("tier") + ", "
                        + answer.get("bucketSeconds") + " s";
                JsonNode b = answer.at("/series/0");
                assertThat(b.get("timeMicros").size()).as(what).isBetween(1, maxPoints);
                long counted = 0;
                double lowest = Double.POSITIVE_INFINITY;
                double highest = Double.NEGATIVE_INFINITY;
                double weighted = 0;
                for (int i = 0; i < b.get("timeMicros").size(); i++) {
                    long n = b.get("count").get(i).asLong();
                    counted += n;
                    lowest = Math.min(lowest, b.get("min").get(i).asDouble());
                    highest = Math.max(highest, b.get("max").get(i).asDouble());
                    weighted += b.get("mean").get(i).asDouble() * n;
                }
                assertThat(counted).as("samples counted in the buckets of " + what).isEqualTo(values.size());
                assertThat(lowest).as(what).isEqualTo(min);
                assertThat(highest).as(what).isEqualTo(max);
                assertThat(weighted / counted).as(what).isCloseTo(sum / values.size(),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void beyondThisMachineWithoutATokenNothingListensAndOneLineSaysWhatToSetThenATokenLetsOnlyItsHolderIn()
            throws Exception {
        int port = freePort();
        Path home = start("address = 0.0.0.0\nport = " + port + "\n");
        Path file = home.resolve("conf/org.usblogd.http.cfg");
        try {
            Dist.await("the daemon started", 60_000, () -> logHas("usblogd started"));
            List<String> said = Files.readAllLines(log).stream().filter(l -> l.contains("no token is set")).toList();
            assertThat(said).singleElement().asString().contains(file.toString(), "address = 0.0.0.0", "set token = ")
                    .contains("ERROR");
            assertThat(listens(port)).as("port %d listens", port).isFalse();
            // nor on Jetty's own default, nor anywhere else: the daemon listens on its database's port alone
            int database = Integer.parseInt(Files.readString(tmp.resolve("state/db/server.port")).strip());
            assertThat(listeningPorts(daemon.pid())).containsExactly(database);
            assertThat(Files.readString(log)).doesNotContain("HTTP API at", "Exception");

            // a token set while the daemon runs: it listens, for the token's holder only
            String token = "6f1c0e2b9a7d4c35";
            Files.writeString(file, "address = 0.0.0.0\nport = " + port + "\ntoken = " + token + "\n");
            Dist.await("listening with the token", 20_000, () -> listens(port));
            String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            Dist.await("a line with an address to open", 10_000, () -> logHas("web page at http://" + hostName + ":"
                    + port + "/"));
            assertThat(Files.readString(log)).contains("(listening on every address of this machine)")
                    .doesNotContain("http://0.0.0.0");
            Dist.await("the API answering", 10_000, when(() -> status("http://127.0.0.1:" + port
                    + "/api/v1/status", null) != 404));
            String status = "http://127.0.0.1:" + port + "/api/v1/status";
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(status)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(json.readTree(none.body()).get("error").asText()).contains("Authorization: Bearer");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(status))
                    .header("Authorization", "Bearer not-" + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json.readTree(wrong.body()).get("error").asText()).startsWith("wrong token");
            assertThat(status(status, token)).isEqualTo(200);

            // a browser logs in once; the cookie lets it in, and holds no token
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("usblogd_session=").contains("HttpOnly").doesNotContain(token);
            HttpResponse<String> withCookie = http.send(HttpRequest.newBuilder(URI.create(status))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withCookie.statusCode()).isEqualTo(200);
            assertThat(Files.readString(log)).as("the token never goes into the log").doesNotContain(token);

            // the token taken out again while the daemon runs: it stops listening, and says why once more
            Files.writeString(file, "address = 0.0.0.0\nport = " + port + "\n");
            Dist.await("no longer listening", 20_000, () -> !listens(port));
            Dist.await("the refusal said again", 10_000, () -> {
                try {
                    return Files.readAllLines(log).stream().filter(l -> l.contains("no token is set")).count() == 2;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        }
    }

    @Test
    void withoutATokenAForeignHostNameIsTurnedAwayAndHeadRequestsHoldNoStream() throws Exception {
        start("port = 0\n");
        int port = HttpDaemon.awaitListening(log);
        try {
            // Jetty listens a moment before the servlets are there
            Dist.await("the API answers", 30_000, when(() -> rawStatus(port, "127.0.0.1") == 200));
            // a web page whose own name was made to point at 127.0.0.1 (DNS rebinding) sends its own Host
            assertThat(rawStatus(port, "evil.example")).as("Host: evil.example").isEqualTo(403);
            assertThat(rawStatus(port, "evil.example:" + port)).isEqualTo(403);
            assertThat(rawStatus(port, "localhost:" + port)).isEqualTo(200);
            assertThat(rawStatus(port, "127.0.0.1")).isEqualTo(200);

            // HEAD on the stream answers its headers and holds no stream open
            String stream = "http://127.0.0.1:" + port + "/api/v1/stream";
            for (int i = 0; i < 20; i++) {
                HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(stream))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(head.statusCode()).as("HEAD " + i).isEqualTo(200);
            }
            HttpResponse<InputStream> open = http.send(HttpRequest.newBuilder(URI.create(stream))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
            open.body().close();
            assertThat(open.statusCode()).as("a stream after 20 HEADs").isEqualTo(200);
        } catch (AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        }
    }

    /** The status of GET /api/v1/devices sent with the given Host header, as a browser would send it. */
    private static int rawStatus(int port, String host) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/devices HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String first = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(first.split(" ")[1]);
        }
    }

    @Test
    void aPortAnotherProgramHoldsIsOneLogLineNamingItAndTheFileAndTheDaemonRunsOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Path home = start("port = " + taken.getLocalPort() + "\n");
            try {
                Dist.await("the daemon started", 60_000, () -> logHas("usblogd started"));
                assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("cannot listen")).toList())
                        .singleElement().asString().contains("127.0.0.1 port " + taken.getLocalPort(),
                                home.resolve("conf/org.usblogd.http.cfg").toString());
                assertThat(Files.readString(log)).doesNotContain("Exception", "HTTP API at");
                assertThat(daemon.isAlive()).isTrue();
            } catch (AssertionError e) {
                System.out.println(Files.readString(log));
                throw e;
            }
        }
    }

    private Path start(String httpConfig, String... options) throws IOException {
        HttpDaemon d = HttpDaemon.start(tmp, httpConfig, options);
        daemon = d.process();
        log = d.log();
        return d.home();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url, String token) throws IOException, InterruptedException {
        return http.send(HttpDaemon.request(url, token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The CO2 channel of the CO2 monitor in /devices, once it has a value; else null. */
    private JsonNode co2(String devices) throws IOException {
        for (JsonNode d : json.readTree(devices)) {
            if (d.get("device").asText().equals(CO2)) {
                for (JsonNode c : d.get("channels")) {
                    if (c.get("name").asText().equals("co2") && !c.get("lastValue").isNull()) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("state", d.get("state").asText());
                        return c;
                    }
                }
            }
        }
        return null;
    }

    /** The data line following the first line {@code event} of a stream, read for at most 20 s. */
    private String firstStreamed(String url, String event) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && System.nanoTime() < deadline; line = in.readLine()) {
                if (line.equals(event)) {
                    return in.readLine();
                }
            }
        }
        throw new AssertionError("no '" + event + "' from " + url + " within 20 s");
    }

    /** A condition that may fail while the daemon starts: false until it holds. */
    private static java.util.function.BooleanSupplier when(java.util.concurrent.Callable<Boolean> condition) {
        return () -> {
            try {
                return condition.call();
            } catch (Exception | AssertionError e) {
                return false;
            }
        };
    }

    private boolean logHas(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The TCP ports a process listens on, from its sockets' inodes and the kernel's socket tables. */
    private static java.util.Set<Integer> listeningPorts(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = line.strip().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
