package org.usblogd.usb.internal.libusb;

import static org.usblogd.usb.internal.Await.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.testing.counter.twin.CounterTwin;

/**
 * What the core does with a backend, reduced to reading {@link CounterTwin}s: each arrival gets a session
 * that streams its reports until the device leaves, when the connection is aborted. Keeps, per serial
 * number, every session and every report number read, so a test can see interruptions.
 */
final class ReadingSessions extends ReaderSessions<ReadingSessions.Session> {
    /** One device seen from arrival to departure. */
    final class Session extends ReaderSession {
        final List<Long> reports = new CopyOnWriteArrayList<>();
        volatile String serial;

        Session(BackendDevice device) {
            super(device, problems, 4, 1_000);
        }

        @Override
        void starting() {
            serial = device.info().serialNumber();
            of(serial).add(this);
        }

        @Override
        void received(byte[] buffer, int length) {
            if (length == buffer.length) {
                reports.add(CounterTwin.sequence(buffer));
            }
        }

        /** A session that was left, or whose device is gone, may fail in any way. */
        @Override
        boolean expected(UsbException e) {
            return left || e.kind() == Kind.GONE;
        }

        @Override
        String label() {
            return serial;
        }
    }

    private final Map<String, List<Session>> bySerial = new ConcurrentHashMap<>();
    final List<String> departures = new CopyOnWriteArrayList<>();

    ReadingSessions() {
        super("test-session");
    }

    @Override
    Session session(BackendDevice device) {
        return new Session(device);
    }

    @Override
    void departed(BackendDevice device, Session s) {
        departures.add(s.serial == null ? device.toString() : s.serial);
    }

    private List<Session> of(String serial) {
        return bySerial.computeIfAbsent(serial, k -> new CopyOnWriteArrayList<>());
    }

    /** Every session the device with this serial number had, oldest first. */
    List<Session> sessions(String serial) {
        return List.copyOf(of(serial));
    }

    /** Report numbers of all the device's sessions, in the order read. */
    List<Long> reports(String serial) {
        List<Long> r = new ArrayList<>();
        of(serial).forEach(s -> r.addAll(s.reports));
        return r;
    }

    /** Where the numbers jump: "41 -> 57" for each report that did not follow the one before. */
    List<String> gaps(String serial) {
        List<String> gaps = new ArrayList<>();
        Long before = null;
        for (long n : reports(serial)) {
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
        present().forEach(this::left);
        await("every session ended", () -> all.stream().allMatch(s -> s.ended));
    }
}
