package org.usblogd.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The web page in a real browser (headless Chromium, Debian's chromium and chromium-driver) against the
 * assembled daemon running the demo: every demo device is listed, a plot's canvas has drawn data, and a new
 * value arrives while the page is open. The screenshot is kept in target/ for people to look at.
 */
class WebPageIT {
    /** Four small files from this machine: a page that takes longer has not been served or not been drawn. */
    private static final Duration PAGE_LOAD = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void thePageListsEveryDemoDevicePlotsItsDataAndShowsNewValuesLive() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Path state = tmp.resolve("state");
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        Samples samples = new Samples(state);
        withPage(new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--demo", "--state",
                state.toString()), () -> Dist.await("every family logging", 30_000,
                        () -> DeviceFamilies.allLogging(samples)), page -> {
            java.util.List<String> logging = samples.deviceKeys();
            WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(20));
            wait.until(b -> b.findElements(By.cssSelector("article.device")).size() >= logging.size());
            assertThat(page.findElements(By.cssSelector("article.device")))
                    .extracting(e -> e.getAttribute("data-device")).containsAll(logging);
            assertThat(page.findElement(By.id("empty")).isDisplayed()).isFalse();

            // a plot has drawn its line: pixels of the series colour on its canvas
            wait.until(b -> drawnPixels(page) > 50);

            WebElement value = page.findElement(By.cssSelector("article.device .value b"));
            String first = value.getText();
            wait.until(b -> !value.getText().equals(first) || livePoints(page) > 0);
            assertThat(livePoints(page)).as("points the live stream added").isPositive();

            Path target = Path.of(System.getProperty("usblogd.dist")).getParent();
            Files.write(target.resolve("web-page.png"), ((TakesScreenshot) page).getScreenshotAs(OutputType.BYTES));

            // a phone: the page fits its width, and the plots still draw
            page.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            wait.until(b -> ((Number) ((JavascriptExecutor) b).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;")).longValue() <= 0);
            wait.until(b -> drawnPixels(page) > 50);
            Files.write(target.resolve("web-page-phone.png"),
                    ((TakesScreenshot) page).getScreenshotAs(OutputType.BYTES));
            System.out.println("screenshots: " + target.resolve("web-page.png") + ", web-page-phone.png");
        });
    }

    @Test
    void aDaemonWithoutDevicesSaysSoOnThePage() throws Exception {
        Path home = tmp.resolve("usblogd");
        PluginJars.copyOfInstallation(home);
        Files.writeString(home.resolve("conf/org.usblogd.http.cfg"), "port = 0\n");
        // no --demo, and libusb sees an emulated bus with nothing on it: nothing to list
        try (UsbTestbed testbed = new UsbTestbed()) {
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/usblogd").toString(), "run", "--state",
                    tmp.resolve("state").toString());
            pb.environment().putAll(testbed.environment());
            withPage(pb, () -> { }, page -> {
                new WebDriverWait(page, Duration.ofSeconds(20))
                        .until(b -> b.findElement(By.id("empty")).isDisplayed());
                assertThat(page.findElement(By.id("empty")).getText()).contains("no devices", "--demo");
                assertThat(page.findElements(By.cssSelector("article.device"))).isEmpty();
            });
        }
    }

    /** What a test does with the page of a running daemon, once the browser has loaded it. */
    @FunctionalInterface
    private interface OnPage {
        void check(ChromeDriver page) throws Exception;
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
    private void withPage(ProcessBuilder daemonCommand, Before before, OnPage check) throws Exception {
        Path log = tmp.resolve("daemon.log");
        Process daemon = daemonCommand.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChromeDriver page = null;
        try {
            Dist.await("the page's address in the log", 60_000, () -> pageAddress(log) != null);
            before.await();
            String address = pageAddress(log);
            page = chromium();
            try {
                page.get(address);
            } catch (org.openqa.selenium.TimeoutException e) {
                // Chromium has hung in its own start once in CI: whether the daemon answered tells whose fault it is
                String server = plainGet(address);
                System.out.println("Chromium did not load " + address + " in " + PAGE_LOAD.toSeconds() + " s; "
                        + server);
                if (!server.startsWith("the daemon answered 200")) {
                    throw e;
                }
                page.quit();
                page = chromium();
                page.get(address);
            }
            check.check(page);
        } catch (AssertionError | RuntimeException e) {
            System.out.println(Files.readString(log));
            throw e;
        } finally {
            if (page != null) {
                page.quit();
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

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // CI runs as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
        return browser;
    }

    /** Pixels of the series colour on every plot's canvas. */
    private static long drawnPixels(ChromeDriver browser) {
        Object n = ((JavascriptExecutor) browser).executeScript("""
                let n = 0;
                for (const c of document.querySelectorAll('.plot canvas')) {
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let i = 0; i < d.length; i += 4) {
                    if (d[i + 3] > 128 && d[i + 2] > 150 && d[i] < 90) n++; // the line's blue
                  }
                }
                return n;""");
        return ((Number) n).longValue();
    }

    /** Points appended to the plots by the live stream since the page loaded. */
    private static long livePoints(ChromeDriver browser) {
        return ((Number) ((JavascriptExecutor) browser).executeScript("return liveSamples;")).longValue();
    }
}
