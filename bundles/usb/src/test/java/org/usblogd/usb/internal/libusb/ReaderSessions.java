package org.usblogd.usb.internal.libusb;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.BackendListener;

/** Gives each arriving device a {@link ReaderSession} on a thread of its own and leaves it on departure. */
abstract class ReaderSessions<S extends ReaderSession> implements BackendListener {
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Every session started, oldest first. */
    final List<S> all = new CopyOnWriteArrayList<>();
    private final Map<BackendDevice, S> current = new ConcurrentHashMap<>();
    private final String threadName;

    ReaderSessions(String threadName) {
        this.threadName = threadName;
    }

    abstract S session(BackendDevice device);

    /** Called as the device's departure is reported, before its session is left. */
    void departed(BackendDevice device, S session) {
    }

    @Override
    public void arrived(BackendDevice device) {
        S s = session(device);
        current.put(device, s);
        all.add(s);
        Thread t = new Thread(s, threadName);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void left(BackendDevice device) {
        S s = current.remove(device);
        if (s != null) {
            departed(device, s);
            s.leave();
        }
    }

    /** The devices whose sessions have not been left by a departure. */
    Set<BackendDevice> present() {
        return Set.copyOf(current.keySet());
    }
}
