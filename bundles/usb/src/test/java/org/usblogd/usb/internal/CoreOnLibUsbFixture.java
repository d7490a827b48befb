package org.usblogd.usb.internal;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.usblogd.testing.umockdev.UsbTestbed;
import org.usblogd.usb.internal.libusb.LibUsbBackend;
import org.usblogd.usb.internal.libusb.LibUsbFixture;
import org.usblogd.usb.internal.libusb.LibUsbHarness;

/**
 * The core, recording into memory, with the real libusb stack under it on a umockdev testbed: the manager is
 * active from the start, the backend is started by {@link #start}; after the test the core stops first, then
 * the backend, as in the daemon. Register it with {@code @RegisterExtension} on an instance field.
 */
final class CoreOnLibUsbFixture implements AfterEachCallback {
    private final LibUsbFixture usb;
    final UsbTestbed testbed;
    final LibUsbBackend backend;
    final MemoryRecorder recorder = new MemoryRecorder();
    final DeviceManager manager = new DeviceManager(recorder, DeviceManagerTest.config());

    private CoreOnLibUsbFixture(LibUsbFixture usb) {
        this.usb = usb;
        testbed = usb.testbed;
        backend = usb.backend;
        manager.activate();
    }

    static CoreOnLibUsbFixture withUdevd() {
        return new CoreOnLibUsbFixture(LibUsbFixture.withUdevd());
    }

    static CoreOnLibUsbFixture withoutUdevd() {
        return new CoreOnLibUsbFixture(LibUsbFixture.withoutUdevd());
    }

    /** Starts the backend following devices the given way ("udev", "sysfs") and puts the core on it. */
    void start(String hotplug) {
        LibUsbHarness.activate(backend, hotplug);
        manager.bindBackend(backend);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        manager.deactivate();
        usb.afterEach(context);
    }
}
