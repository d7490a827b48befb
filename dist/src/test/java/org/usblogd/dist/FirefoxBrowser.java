package org.usblogd.dist;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openqa.selenium.bidi.Command;
import org.openqa.selenium.bidi.Connection;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.remote.http.HttpClient;

/**
 * Debian's Firefox ESR, driven through the WebDriver BiDi server it has built in ({@code --remote-debugging-port}),
 * over Selenium's BiDi connection: Debian packages no geckodriver, and the machine reaches no other source of one.
 */
final class FirefoxBrowser implements Browser {
    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final Duration COMMAND = Duration.ofSeconds(30);

    private final Path profile;
    private final Path output;
    private final Process firefox;
    private final Connection bidi;
    private final String context;

    FirefoxBrowser() throws Exception {
        profile = Files.createTempDirectory("usblogd-firefox-");
        output = profile.resolve("firefox.log");
        firefox = new ProcessBuilder("firefox-esr", "--headless", "--no-remote", "--remote-debugging-port", "0",
                "--profile", profile.toString(), "--width", "1280", "--height", "2000", "about:blank")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String address = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (address == null && System.nanoTime() < deadline && firefox.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(output, StandardCharsets.ISO_8859_1));
            address = m.find() ? m.group(1) + "/session" : null;
            Thread.sleep(100);
        }
        if (address == null) {
            String said = Files.readString(output, StandardCharsets.ISO_8859_1);
            close();
            throw new IllegalStateException("Firefox did not start its WebDriver BiDi server within 60 s: " + said);
        }
        HttpClient client = HttpClient.Factory.createDefault()
                .createClient(ClientConfig.defaultConfig().baseUri(URI.create(address)));
        bidi = new Connection(client, address);
        send("session.new", Map.of("capabilities", Map.of()), COMMAND);
        List<?> contexts = (List<?>) send("browsingContext.getTree", Map.of(), COMMAND).get("contexts");
        context = (String) ((Map<?, ?>) contexts.get(0)).get("context");
    }

    @Override
    public void open(String address, Duration limit) {
        send("browsingContext.navigate", Map.of("context", context, "url", address, "wait", "complete"), limit);
    }

    @Override
    public Object eval(String expression) {
        Map<String, Object> r = send("script.evaluate", Map.of("expression", "(" + expression + ")", "target",
                Map.of("context", context), "awaitPromise", false), COMMAND);
        if (!"success".equals(r.get("type"))) {
            throw new IllegalStateException("Firefox could not evaluate " + expression + ": " + r.get("exceptionDetails"));
        }
        Map<?, ?> value = (Map<?, ?>) r.get("result");
        return switch ((String) value.get("type")) {
            case "string", "boolean", "number" -> value.get("value");
            case "null", "undefined" -> null;
            default -> value.get("type");
        };
    }

    @Override
    public void resize(int width, int height) {
        send("browsingContext.setViewport", Map.of("context", context, "viewport", Map.of("width", width, "height",
                height)), COMMAND);
    }

    @Override
    public byte[] screenshotPng() {
        return Base64.getDecoder().decode((String) send("browsingContext.captureScreenshot", Map.of("context", context),
                COMMAND).get("data"));
    }

    @Override
    public String name() {
        return "Firefox";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, Map<String, Object> params, Duration limit) {
        return bidi.sendAndWait(new Command<Map<String, Object>>(method, params, o -> (Map<String, Object>) o), limit);
    }

    @Override
    public void close() {
        if (bidi != null) {
            try {
                send("session.end", Map.of(), Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                // the process is ended below whatever the session said
            }
            bidi.close();
        }
        firefox.destroy();
        try {
            if (!firefox.waitFor(10, TimeUnit.SECONDS)) {
                firefox.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(profile)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a profile Firefox still writes into stays in the temporary directory
        }
    }
}
