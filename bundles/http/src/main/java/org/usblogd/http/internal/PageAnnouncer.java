package org.usblogd.http.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says where the page and the API are, once per start of Jetty, when Jetty serves both: its runtime appears
 * as soon as it has bound its port, before the whiteboard has handed it the servlets (the API's only comes
 * once the store is open), and a page opened on that earlier line was Jetty's 404. Felix's runtime cannot
 * describe itself while it is being registered, and the servlets may have come before it (then no later
 * change tells), so it is asked on a thread of its own, every 100 ms, for up to two minutes.
 */
final class PageAnnouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageAnnouncer.class);
    private static final long WAIT_NANOS = 120_000_000_000L;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-announcer");
        t.setDaemon(true);
        return t;
    });
    /** Whether the line was logged for Jetty's current start; only the announcer's thread reads and writes it. */
    private boolean announced;

    /** Jetty's runtime appeared or changed, listening on {@code address}. */
    void runtime(HttpServiceRuntime runtime, ServiceReference<HttpServiceRuntime> ref, String address,
            boolean tokenRequired) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        run(() -> check(runtime, ref, address, tokenRequired, deadline));
    }

    /** Jetty stopped: its next start is announced again. */
    void gone() {
        run(() -> announced = false);
    }

    private void run(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            // closed: the component is going away with Jetty
        }
    }

    private void check(HttpServiceRuntime runtime, ServiceReference<HttpServiceRuntime> ref, String address,
            boolean tokenRequired, long deadline) {
        if (announced || ref.getBundle() == null) {
            return; // said already, or this runtime is gone
        }
        if (!serves(runtime, WebPage.class, ApiServlet.class) && System.nanoTime() < deadline) {
            thread.schedule(() -> check(runtime, ref, address, tokenRequired, deadline), 100, TimeUnit.MILLISECONDS);
            return;
        }
        announced = true;
        boolean any = address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
        // 0.0.0.0 is no address to open: the machine's name is, on the network it listens to
        String host = any ? hostName() : address.contains(":") ? "[" + address + "]" : address;
        Object port = ref.getProperty("org.osgi.service.http.port");
        log.info("web page at http://{}:{}/, HTTP API at http://{}:{}/api/v1/{}{}", host, port, host, port,
                tokenRequired ? " (token required)" : "", any ? " (listening on every address of this machine)" : "");
    }

    /** Whether the runtime serves every one of the servlets (the whiteboard names them by their class). */
    private static boolean serves(HttpServiceRuntime runtime, Class<?>... servlets) {
        Set<String> served = new HashSet<>();
        try {
            for (ServletContextDTO context : runtime.getRuntimeDTO().servletContextDTOs) {
                for (ServletDTO servlet : context.servletDTOs) {
                    served.add(servlet.name);
                }
            }
        } catch (IllegalStateException e) {
            return false; // being registered, or gone
        }
        return Arrays.stream(servlets).allMatch(c -> served.contains(c.getName()));
    }

    /** The kernel's host name: read, not looked up, so that nothing waits for a name service here. */
    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "THIS-MACHINE";
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
