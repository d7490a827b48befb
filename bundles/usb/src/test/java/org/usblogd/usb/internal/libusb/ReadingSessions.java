package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * What the core does with a backend, reduced to reading {@link ReportModel}s: each arrival gets a session
 * thread that opens the device, takes interface 0 from its kernel driver and streams its reports until the
 * device leaves, when the connection is aborted. Keeps, per serial number, every session and every report
 * number read, so a test can see interruptions.
 */
final class ReadingSessions implements BackendListener {
    /** One device seen from arrival to departure. */
    final class Session implements Runnable {
        final BackendDevice device;
        final List<Integer> reports = new CopyOnWriteArrayList<>();
        volatile String serial;
        volatile boolean left;
        volatile boolean ended;
        private volatile DeviceConnection connection;

        Session(BackendDevice device) {
            this.device = device;
        }

        @Override
        public void run() {
            try {
                serial = device.info().serialNumber();
                of(serial).add(this);
                try (DeviceConnection c = device.open()) {
                    connection = c;
                    if (left) {
                        return;
                    }
                    if (c.kernelDriverActive(0)) {
                        c.detachKernelDriver(0);
                    }
                    c.claimInterface(0);
                    stream(c);
                    try {
                        c.releaseInterface(0);
                    } catch (UsbException e) {
                        // gone with the device
                    }
                }
            } catch (UsbException e) {
                if (!left && e.kind() != Kind.GONE) {
                    problems.add(serial + ": " + e.getMessage());
                }
            } finally {
                ended = true;
            }
        }

        private void stream(DeviceConnection c) throws UsbException {
            byte[] buffer = new byte[8];
            try (InStream s = c.openStream(0x81, 8, 4)) {
                while (!left) {
                    try {
                        if (s.read(buffer, 1_000) == 4) {
                            reports.add(ByteBuffer.wrap(buffer).getInt());
                        }
                    } catch (UsbException e) {
                        if (e.kind() == Kind.GONE || e.kind() == Kind.CLOSED) {
                            return;
                        }
                        if (e.kind() != Kind.TIMEOUT) {
                            problems.add(serial + ": " + e.getMessage());
                        }
                    }
                }
            }
        }

        void leave() {
            left = true;
            DeviceConnection c = connection;
            if (c != null) {
                c.abort();
            }
        }
    }

    private final Map<BackendDevice, Session> current = new ConcurrentHashMap<>();
    private final Map<String, List<Session>> bySerial = new ConcurrentHashMap<>();
    private final List<Session> all = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<String> departures = new CopyOnWriteArrayList<>();

    @Override
    public void arrived(BackendDevice device) {
        Session s = new Session(device);
        current.put(device, s);
        all.add(s);
        Thread t = new Thread(s, "test-session");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void left(BackendDevice device) {
        Session s = current.remove(device);
        if (s != null) {
            departures.add(s.serial == null ? device.toString() : s.serial);
            s.leave();
        }
    }

    private List<Session> of(String serial) {
        return bySerial.computeIfAbsent(serial, k -> new CopyOnWriteArrayList<>());
    }

    /** Every session the device with this serial number had, oldest first. */
    List<Session> sessions(String serial) {
        return List.copyOf(of(serial));
    }

    /** Report numbers of all the device's sessions, in the order read. */
    List<Integer> reports(String serial) {
        List<Integer> r = new ArrayList<>();
        of(serial).forEach(s -> r.addAll(s.reports));
        return r;
    }

    /** Where the numbers jump: "41 -> 57" for each report that did not follow the one before. */
    List<String> gaps(String serial) {
        List<String> gaps = new ArrayList<>();
        Integer before = null;
        for (int n : reports(serial)) {
            if (before != null && n != before + 1) {
                gaps.add(before + " -> " + n);
            }
            before = n;
        }
        return gaps;
    }

    /** Waits until the device has had {@code sessions} sessions and the newest has read a report. */
    void awaitReading(String serial, int sessions) {
        await(serial + " reading in session " + sessions, () -> {
            List<Session> s = of(serial);
            return s.size() >= sessions && !s.get(s.size() - 1).reports.isEmpty();
        });
    }

    /** Waits until the device has had {@code sessions} sessions and none of them runs any more. */
    void awaitEnded(String serial, int sessions) {
        await(serial + " session " + sessions + " ended", () -> {
            List<Session> s = of(serial);
            return s.size() >= sessions && s.stream().allMatch(x -> x.ended);
        });
    }

    /** What the core does when it stops: every device is left, every session ends. */
    void leaveAll() {
        current.keySet().forEach(this::left);
        await("every session ended", () -> all.stream().allMatch(s -> s.ended));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
