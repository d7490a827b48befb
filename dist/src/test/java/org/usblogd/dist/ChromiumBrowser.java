package org.usblogd.dist;

import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium through Debian's chromedriver. */
final class ChromiumBrowser implements Browser {
    private final ChromeDriver driver;
    private final java.io.File driverLog;

    ChromiumBrowser() throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as root (CI) Chromium's sandbox cannot start; the rest keeps it off the network this machine does not
        // have (refused connections to Google's hosts at every start) and off the GPU it does not have either
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,2000",
                // a busy two-core machine must not make Chromium park the page's renderer or its timers: the
                // renderer then misses chromedriver's messages and the page load is reported as timed out
                "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows", "--disable-ipc-flooding-protection",
                "--disable-extensions");
        driverLog = java.nio.file.Files.createTempFile("chromedriver", ".log").toFile();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).withLogFile(driverLog)
                .withVerbose(true).build();
        driver = new ChromeDriver(service, options);
    }

    @Override
    public void open(String address, Duration limit) {
        driver.manage().timeouts().pageLoadTimeout(limit);
        driver.get(address);
    }

    @Override
    public Object eval(String expression) {
        return driver.executeScript("return (" + expression + ");");
    }

    @Override
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public byte[] screenshotPng() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public String diagnosis() {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(driverLog.toPath());
            return "chromedriver's last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (java.io.IOException e) {
            return "no chromedriver log: " + e;
        }
    }

    @Override
    public String name() {
        return "Chromium";
    }

    @Override
    public void close() {
        driver.quit();
        driverLog.delete();
    }
}
