package org.usblogd.usb.internal.libusb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices USB devices coming and going where udevd does not run (containers, minimal systems): the libusb
 * bundled with usb4java then gets no hotplug events, so this thread lists /sys/bus/usb/devices at an
 * interval and reports the difference. Sysfs sends no inotify events for devices, hence polling.
 */
final class SysfsWatcher {
    private static final Logger log = LoggerFactory.getLogger(SysfsWatcher.class);
    /** "1-1", "2-1.4.3"; not root hubs ("usb1") and not interfaces ("1-1:1.0"). */
    private static final Pattern DEVICE = Pattern.compile("\\d+-\\d+(\\.\\d+)*");
    private static final int QUICK_LOOKS = 5;
    private static final long QUICK_LOOK_MS = 20;

    /** A device directory and the bus address it had when seen. */
    record Entry(String name, int bus, int address) {
    }

    /** What changed between two listings. */
    record Change(Map<String, Entry> arrived, Map<String, Entry> left) {
        boolean isEmpty() {
            return arrived.isEmpty() && left.isEmpty();
        }
    }

    private final Path devices;
    private final long intervalMs;
    private final Consumer<Change> listener;
    private final Object tick = new Object();
    private int quickLooks;
    private volatile boolean running;
    private Thread thread;
    private Map<String, Entry> last;

    SysfsWatcher(Path devices, long intervalMs, Consumer<Change> listener) {
        this.devices = devices;
        this.intervalMs = intervalMs;
        this.listener = listener;
    }

    /** Takes the listing later changes are reported against; {@link #start()} takes one unless this did. */
    synchronized void snapshot() {
        last = list();
    }

    synchronized void start() {
        if (last == null) {
            last = list();
        }
        running = true;
        thread = new Thread(this::run, "usb-sysfs-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /**
     * Looks a few times in quick succession rather than at the end of the interval: a device just failed as
     * unplugged, and its departure, reported promptly, keeps the core from reopening a device that is gone.
     * The kernel removes the device from sysfs only after it failed its transfers, hence more than one look.
     */
    void lookSoon() {
        synchronized (tick) {
            quickLooks = QUICK_LOOKS;
            tick.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                synchronized (tick) {
                    tick.wait(quickLooks > 0 ? Math.min(QUICK_LOOK_MS, intervalMs) : intervalMs);
                    quickLooks = Math.max(0, quickLooks - 1);
                }
                Change change = poll();
                if (!change.left().isEmpty()) {
                    synchronized (tick) {
                        quickLooks = 0;
                    }
                }
                if (!change.isEmpty()) {
                    listener.accept(change);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("watching {} failed: {}", devices, e.toString());
            }
        }
    }

    synchronized Change poll() {
        Map<String, Entry> now = list();
        Map<String, Entry> arrived = new HashMap<>();
        Map<String, Entry> left = new HashMap<>();
        now.forEach((k, v) -> {
            if (!Objects.equals(last.get(k), v)) {
                arrived.put(k, v);
            }
        });
        last.forEach((k, v) -> {
            if (!Objects.equals(now.get(k), v)) {
                left.put(k, v);
            }
        });
        last = now;
        return new Change(arrived, left);
    }

    Map<String, Entry> list() {
        Map<String, Entry> result = new HashMap<>();
        try (Stream<Path> s = Files.list(devices)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (DEVICE.matcher(name).matches()) {
                    int bus = readInt(p.resolve("busnum"));
                    int address = readInt(p.resolve("devnum"));
                    if (bus > 0 && address > 0) {
                        result.put(name, new Entry(name, bus, address));
                    }
                }
            });
        } catch (IOException e) {
            // Between removal of a device and its directory, or no USB at all: nothing to report.
        }
        return result;
    }

    private static int readInt(Path p) {
        try {
            return Integer.parseInt(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
