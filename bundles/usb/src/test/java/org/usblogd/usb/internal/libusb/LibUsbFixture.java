package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * A umockdev testbed, a libusb backend that looks at it (not yet activated) and a listener recording what
 * the backend reports; after the test the backend is stopped, the testbed closed, and no libusb or sysfs
 * watcher thread may be left. Register it with {@code @RegisterExtension} on an instance field: JUnit makes a
 * test instance, so a fixture, for each test. A test's own {@code @AfterEach} runs before this one. A test that
 * needs libusb in only some of its methods opens one in a try-with-resources instead: closing stops the backend
 * and closes the testbed, without the checks on threads.
 */
public class LibUsbFixture implements AfterEachCallback, AutoCloseable {
    public final UsbTestbed testbed;
    public final LibUsbBackend backend;
    final RecordingListener listener = new RecordingListener();

    private LibUsbFixture(boolean udevd) {
        testbed = udevd ? new UsbTestbed() : new UsbTestbed().withoutUdevd();
        backend = LibUsbHarness.backend(testbed);
    }

    /** A system with udevd: the backend can follow devices through libusb's hotplug. */
    public static LibUsbFixture withUdevd() {
        return new LibUsbFixture(true);
    }

    /** A system without udevd, where only the sysfs watcher sees devices come and go. */
    public static LibUsbFixture withoutUdevd() {
        return new LibUsbFixture(false);
    }

    /**
     * Plugs the device in at port {@code 1-port}, starts the backend with no hotplug (it enumerates once)
     * and waits for the device's arrival.
     */
    BackendDevice plugAndStart(DeviceModel model, int port, int address) throws InterruptedException {
        testbed.plug(model, 1, port, address);
        LibUsbHarness.activate(backend, "none");
        backend.start(listener);
        return listener.awaitArrival();
    }

    @Override
    public void close() throws InterruptedException {
        backend.deactivate();
        testbed.close();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        close();
        assertThat(LibUsbHotplugTest.threads("usb-libusb-")).as("event and lifecycle threads after stop").isZero();
        assertThat(LibUsbHotplugTest.threads("usb-sysfs-watcher")).as("watcher threads after stop").isZero();
    }
}
