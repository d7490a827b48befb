package org.usblogd.usb.internal.libusb;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

import org.usblogd.testing.umockdev.UsbTestbed;

/** Builds libusb backends that look at a umockdev testbed instead of the machine's USB. */
public final class LibUsbHarness {
    private LibUsbHarness() {
    }

    /** A backend following devices the given way ("udev", "sysfs" or "none"); not yet activated. */
    public static LibUsbBackend backend(UsbTestbed testbed) {
        // umockdev redirects /dev and /sys to the testbed for native code and for the JVM alike; udevd's
        // control socket is not emulated, so it is pointed at the testbed where it never exists.
        return new LibUsbBackend(new LibUsbBackend.SystemPaths(Path.of("/dev/bus/usb"),
                testbed.root().resolve("run/udev/control"), Path.of("/sys/bus/usb/devices")));
    }

    /** Waits until the backend's event thread runs: asynchronous transfers complete on it. */
    static void awaitEventThread(LibUsbBackend backend) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (backend.eventThread() == null || backend.eventThread().rounds() == 0 && !backend.eventThread().isAlive()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the libusb event thread did not start");
            }
            Thread.sleep(10);
        }
    }

    public static int openConnections(LibUsbBackend backend) {
        return backend.openConnections();
    }

    public static void deactivate(LibUsbBackend backend) throws InterruptedException {
        backend.deactivate();
    }

    public static void activate(LibUsbBackend backend, String hotplug) {
        backend.startWith(config(hotplug, 100));
    }

    static void activate(LibUsbBackend backend, String hotplug, long sysfsPollMs) {
        backend.startWith(config(hotplug, sysfsPollMs));
    }

    static LibUsbBackend.Config config(String hotplug, long sysfsPollMs) {
        return new LibUsbBackend.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LibUsbBackend.Config.class;
            }

            @Override
            public String hotplug() {
                return hotplug;
            }

            @Override
            public long sysfs_poll_ms() {
                return sysfsPollMs;
            }

            @Override
            public long event_thread_restart_ms() {
                return 100;
            }
        };
    }
}
