package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged daemon started with a given {@code conf/org.usblogd.http.cfg}, as the HTTP tests run it. */
record HttpDaemon(Path home, Path log, Process process) {
    private static final Pattern LISTENING = Pattern.compile("HTTP API at http://127\\.0\\.0\\.1:([0-9]+)/api/v1/");

    /** {@code bin/usblogd run --state TMP/state OPTIONS} on a copy of the package in {@code TMP/usblogd}. */
    static HttpDaemon start(Path tmp, String httpConfig, String... options) throws IOException {
        Path home = PluginJars.copyOfPackage(tmp.resolve("usblogd"));
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), httpConfig);
        Path log = tmp.resolve("daemon.log");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/usblogd").toString(), "run", "--state",
                tmp.resolve("state").toString()));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LD_PRELOAD");
        return new HttpDaemon(home, log, pb.start());
    }

    /** The port the daemon says, on start, that the API listens on. */
    static int awaitListening(Path log) throws Exception {
        Dist.await("the line saying where the API listens", 60_000, () -> {
            try {
                return Files.readString(log).contains("HTTP API at");
            } catch (IOException e) {
                return false;
            }
        });
        Matcher m = LISTENING.matcher(Files.readString(log));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A request for the URL, with the token as bearer header when there is one. */
    static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
