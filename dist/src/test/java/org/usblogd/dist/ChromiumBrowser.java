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

    ChromiumBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as root (CI) Chromium's sandbox cannot start; the rest keeps it off the network this machine does not
        // have (refused connections to Google's hosts at every start) and off the GPU it does not have either
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,2000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
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
    public String name() {
        return "Chromium";
    }

    @Override
    public void close() {
        driver.quit();
    }
}
