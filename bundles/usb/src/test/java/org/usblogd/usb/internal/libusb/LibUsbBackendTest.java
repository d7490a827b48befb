package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.UsbInterfaceAssociation;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;
import org.usblogd.testing.umockdev.EmulatedUsbDevice;
import org.usblogd.testing.umockdev.FileAccess;
import org.usblogd.testing.umockdev.UsbTestbed;

/**
 * The libusb backend on the real usb4java/libusb code, against devices emulated by umockdev: descriptors,
 * claiming, every transfer type, errors as the user sees them.
 */
class LibUsbBackendTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);

    private UsbTestbed testbed;
    private LibUsbBackend backend;
    private RecordingListener listener;

    @BeforeEach
    void start() {
        testbed = new UsbTestbed();
        backend = LibUsbHarness.backend(testbed);
        listener = new RecordingListener();
    }

    @AfterEach
    void stop() throws InterruptedException {
        backend.deactivate();
        testbed.close();
    }

    private BackendDevice plugAndStart(CompositeModel model) throws InterruptedException {
        testbed.plug(model, 1, 3, 7);
        LibUsbHarness.activate(backend, "none");
        backend.start(listener);
        return listener.awaitArrival();
    }

    @Test
    void aCompositeDeviceIsDescribedWithItsWholeDescriptorTree() throws Exception {
        UsbDeviceInfo info = plugAndStart(new CompositeModel("CT-0001", PERIOD)).info();

        assertThat(info.vidPid()).isEqualTo("1209:0002");
        assertThat(info.bcdDevice()).isEqualTo(0x0103);
        assertThat(info.deviceClass()).isEqualTo(0xEF);
        assertThat(info.manufacturer()).isEqualTo("usblogd tests");
        assertThat(info.product()).isEqualTo("Composite");
        assertThat(info.serialNumber()).isEqualTo("CT-0001");
        assertThat(info.portPath()).isEqualTo("1-3");
        assertThat(info.address()).isEqualTo(7);
        assertThat(info.identity().key()).isEqualTo("1209:0002:CT-0001");
        assertThat(info.activeConfiguration()).isEqualTo(1);
        UsbConfigurationInfo config = info.configurations().get(0);
        assertThat(config.name()).isEqualTo("Default");
        assertThat(config.interfaceCount()).isEqualTo(4);
        assertThat(config.associations()).containsExactly(
                new UsbInterfaceAssociation(0, 2, 0x02, 0x02, 0x01, "Serial port"));
        assertThat(config.interfaces()).extracting(i -> i.number() + "/" + i.alternate() + " " + i.name())
                .containsExactly("0/0 Notifications", "1/0 Data", "2/0 Stream (idle)", "2/1 Stream", "3/0 null");
        assertThat(info.endpoint(0x81)).contains(
                new UsbEndpointInfo(0x81, TransferType.ISOCHRONOUS, CompositeModel.ISO_PACKET, 1));
        assertThat(info.endpoint(0x02).map(UsbEndpointInfo::type)).contains(TransferType.BULK);
    }

    @Test
    void controlTransfersInAndOutAndAStallThatSaysSo() throws Exception {
        try (DeviceConnection c = plugAndStart(new CompositeModel("CT-0001", PERIOD)).open()) {
            assertThat(c.control(0x40, 3, 0x1234, 0, new byte[0], 0, 1_000)).isZero();
            byte[] in = new byte[4];
            assertThat(c.control(0xC0, 1, 0, 0, in, 4, 1_000)).isEqualTo(4);
            assertThat(ByteBuffer.wrap(in).getInt()).isEqualTo(0x1234);
            assertThatThrownBy(() -> c.control(0xC0, 2, 0, 0, in, 4, 1_000)).isInstanceOfSatisfying(
                    UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.STALL));
        }
    }

    @Test
    void bulkAndInterruptTransfersAndTimeouts() throws Exception {
        try (DeviceConnection c = plugAndStart(new CompositeModel("CT-0001", PERIOD)).open()) {
            c.claimInterface(0);
            c.claimInterface(1);
            byte[] sent = { 1, 2, 3, 4, 5 };
            assertThat(c.bulk(0x02, sent, sent.length, 1_000)).isEqualTo(5);
            byte[] back = new byte[512];
            assertThat(c.bulk(0x82, back, back.length, 1_000)).isEqualTo(5);
            assertThat(back).startsWith(sent);

            byte[] packet = new byte[16];
            assertThat(c.interrupt(0x83, packet, 16, 1_000)).isEqualTo(4);
            int first = ByteBuffer.wrap(packet).getInt();
            assertThat(c.interrupt(0x83, packet, 16, 1_000)).isEqualTo(4);
            assertThat(ByteBuffer.wrap(packet).getInt()).isEqualTo(first + 1);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.bulk(0x82, back, back.length, 200)).isInstanceOfSatisfying(
                    UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 2_000L);
        }
    }
}
