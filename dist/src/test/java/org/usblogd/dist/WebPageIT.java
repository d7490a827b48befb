package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The web page in real browsers (headless Chromium and Firefox, from Debian's packages) against the assembled
 * daemon running the demo: every demo device is listed, a plot's canvas has drawn data, a new value arrives
 * while the page is open, and on a phone's width the page fits and still plots. The screenshots are kept in
 * target/ for people to look at.
 */
class WebPageIT {
    /** Four small files from this machine: a page that takes longer has not been served or not been drawn. */
    private static final Duration PAGE_LOAD = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The browsers the page must work in. */
    enum Kind {
        CHROMIUM, FIREFOX;

        Browser start() throws Exception {
            return this == CHROMIUM ? new ChromiumBrowser() : new FirefoxBrowser();
        }
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void thePageListsEveryDemoDevicePlotsItsDataAndShowsNewValuesLive(Kind kind) throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        Samples samples = new Samples(state);
        withPage(kind, new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()), () -> Dist.await("every family logging", 30_000,
                        () -> DeviceFamilies.allLogging(samples)), page -> {
            List<String> logging = samples.deviceKeys();
            page.await("every logging device listed", "document.querySelectorAll('article.device').length >= "
                    + logging.size(), WAIT);
            String listed = (String) page.eval("Array.from(document.querySelectorAll('article.device'))"
                    + ".map(e => e.getAttribute('data-device')).join('\\n')");
            assertThat(Arrays.asList(listed.split("\n"))).as(page.name()).containsAll(logging);
            assertThat(page.eval("document.getElementById('empty').hidden")).as(page.name()).isEqualTo(true);

            page.await("a plot's line drawn on its canvas", DRAWN_PIXELS + " > 50", WAIT);
            page.await("a value from the live stream", "liveSamples > 0", WAIT);

            Path target = Path.of(System.getProperty("usblogd.dist")).getParent();
            String suffix = kind == Kind.CHROMIUM ? "" : "-" + kind.name().toLowerCase();
            Files.write(target.resolve("web-page" + suffix + ".png"), page.screenshotPng());

            // a phone: the page fits its width, and the plots still draw
            page.resize(390, 844);
            page.await("the page no wider than a phone", "document.documentElement.scrollWidth <= window.innerWidth",
                    WAIT);
            page.await("a plot drawn at a phone's width", DRAWN_PIXELS + " > 50", WAIT);
            Files.write(target.resolve("web-page-phone" + suffix + ".png"), page.screenshotPng());
            System.out.println(page.name() + " screenshots: " + target.resolve("web-page" + suffix + ".png")
                    + ", web-page-phone" + suffix + ".png");
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDaemonWithoutDevicesSaysSoOnThePage(Kind kind) throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        // no --demo, and libusb sees an emulated bus with nothing on it: nothing to list
        try (UsbTestbed testbed = new UsbTestbed()) {
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state",
                    tmp.resolve("state").toString());
            pb.environment().putAll(testbed.environment());
            withPage(kind, pb, () -> { }, page -> {
                page.await("the note that there are no devices", "!document.getElementById('empty').hidden", WAIT);
                assertThat((String) page.eval("document.getElementById('empty').textContent")).as(page.name())
                        .contains("no devices", "--demo");
                assertThat(page.number("document.querySelectorAll('article.device').length")).isZero();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOpenPageCarriesOnLiveAfterTheDaemonRestartsAndShowsWhatItMissed(Kind kind) throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = " + port + "\n");
        ProcessBuilder command = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo",
                "--state", tmp.resolve("state").toString()).redirectErrorStream(true);
        Path log = tmp.resolve("daemon.log");
        Process daemon = command.redirectOutput(log.toFile()).start();
        try (Browser page = kind.start()) {
            Dist.await("the page's address in the log", 60_000, () -> pageAddress(log) != null);
            page.open(pageAddress(log), PAGE_LOAD);
            // opened as the daemon starts: the page waits for the API itself
            page.await("a value from the live stream", "liveSamples > 0", Duration.ofSeconds(60));

            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            page.await("the page saying its live updates are interrupted",
                    "document.getElementById('status').textContent.includes('reconnecting')", WAIT);
            long before = page.number("liveSamples");
            daemon = command.redirectOutput(tmp.resolve("daemon-again.log").toFile()).start();
            page.await("values from the daemon started again", "liveSamples > " + before, Duration.ofSeconds(90));
            // the second start was committed while no stream was open: the list was read again
            String api = pageAddress(log) + "api/v1/events?kind=daemon.started&order=newest&limit=1";
            String started = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.net.http.HttpClient
                    .newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body()).at("/events/0/time").asText();
            String shown = started.replace("T", " ").replaceAll("\\.\\d+Z$", "Z");
            page.await("the second start in the events list", "Array.from(document.querySelectorAll('#events li'))"
                    + ".some(li => li.textContent.includes('daemon.started') && li.textContent.includes('" + shown
                    + "'))", WAIT);
        } catch (Exception | AssertionError e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Pixels of the series colour (the line's blue) on every plot's canvas. */
    private static final String DRAWN_PIXELS = """
            (() => {
              let n = 0;
              for (const c of document.querySelectorAll('.plot canvas')) {
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] > 128 && d[i + 2] > 150 && d[i] < 90) n++;
                }
              }
              return n;
            })()""";

    /** What a test does with the page of a running daemon, once the browser has loaded it. */
    @FunctionalInterface
    private interface OnPage {
        void check(Browser page) throws Exception;
    }

    /** What has to be true of the daemon before the page is opened. */
    @FunctionalInterface
    private interface Before {
        void await() throws Exception;
    }

    /**
     * Starts the daemon, opens its page in a browser once it says where the page is and {@code before} holds, and
     * stops both after the check.
     */
    private void withPage(Kind kind, ProcessBuilder daemonCommand, Before before, OnPage check) throws Exception {
        Path log = tmp.resolve("daemon.log");
        Process daemon = daemonCommand.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Browser page = null;
        try {
            Dist.await("the page's address in the log", 60_000, () -> pageAddress(log) != null);
            before.await();
            String address = pageAddress(log);
            page = kind.start();
            try {
                page.open(address, PAGE_LOAD);
            } catch (org.openqa.selenium.TimeoutException e) {
                // Chromium once hung in CI loading the page: whether the daemon answered tells whose fault it is
                String server = plainGet(address);
                System.out.println(page.name() + " did not load " + address + " in " + PAGE_LOAD.toSeconds() + " s; "
                        + server + "\n" + page.diagnosis());
                if (!server.startsWith("the daemon answered 200")) {
                    throw e;
                }
                page.close();
                page = kind.start();
                page.open(address, PAGE_LOAD);
            }
            check.check(page);
        } catch (Exception | AssertionError e) {
            System.out.println(Files.readString(log));
            if (page != null) {
                System.out.println(page.diagnosis());
            }
            throw e;
        } finally {
            if (page != null) {
                page.close();
            }
            daemon.destroy();
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** What a plain HTTP client gets from the address, in one line. */
    private static String plainGet(String address) {
        long start = System.nanoTime();
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(address))
                            .timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return "the daemon answered " + r.statusCode() + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (java.io.IOException | InterruptedException e) {
            return "the daemon did not answer a plain GET either: " + e;
        }
    }

    /** The page is at the root of the address the daemon logs for its API. */
    private static String pageAddress(Path log) {
        try {
            Matcher m = Pattern.compile("HTTP API at (http://[^/\\s]+)/").matcher(Files.readString(log));
            return m.find() ? m.group(1) + "/" : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
