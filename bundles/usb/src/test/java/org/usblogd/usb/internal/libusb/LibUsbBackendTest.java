package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

/**
 * The libusb backend on the real usb4java/libusb code, against devices emulated by umockdev: descriptors,
 * claiming, every transfer type, errors as the user sees them.
 */
@org.junit.jupiter.api.Timeout(60)
class LibUsbBackendTest {
    private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);

    @RegisterExtension
    final LibUsbFixture usb = LibUsbFixture.withUdevd();

    private BackendDevice plugAndStart(CompositeModel model) throws InterruptedException {
        return usb.plugAndStart(model, 3, 7);
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

    @Test
    void aStalledEndpointFailsUntilItsHaltIsCleared() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        EmulatedUsbDevice emulated = usb.testbed.devices().get(0);
        try (DeviceConnection c = d.open()) {
            c.claimInterface(1);
            emulated.halt(0x85);
            byte[] buffer = new byte[512];
            assertThatThrownBy(() -> c.bulk(0x85, buffer, 512, 1_000)).isInstanceOfSatisfying(UsbException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.STALL));
            assertThatThrownBy(() -> c.bulk(0x85, buffer, 512, 1_000)).isInstanceOf(UsbException.class);

            c.clearHalt(0x85);

            assertThat(emulated.isHalted(0x85)).isFalse();
            assertThat(c.bulk(0x85, buffer, 512, 1_000)).isEqualTo(512);

            // The same through a stream: the stalled transfer fails, the stream goes on after the clear.
            LibUsbHarness.awaitEventThread(usb.backend);
            try (org.usblogd.api.usb.InStream s = c.openStream(0x85, 512, 2)) {
                assertThat(s.read(buffer, 1_000)).isEqualTo(512);
                emulated.halt(0x85);
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 4; i++) {
                        s.read(buffer, 1_000);
                    }
                }).isInstanceOfSatisfying(UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.STALL));
                c.clearHalt(0x85);
                emulated.poke();
                boolean resumed = false;
                for (int i = 0; i < 4 && !resumed; i++) {
                    try {
                        resumed = s.read(buffer, 1_000) == 512;
                    } catch (UsbException e) {
                        assertThat(e.kind()).isEqualTo(Kind.STALL); // transfers that were queued while halted
                    }
                }
                assertThat(resumed).as("stream resumed after clear halt").isTrue();
            }
        }
    }

    @Test
    void isochronousTransfersNeedTheAlternateSettingWithBandwidth() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        EmulatedUsbDevice emulated = usb.testbed.devices().get(0);
        try (DeviceConnection c = d.open()) {
            c.claimInterface(2);
            c.setAlternateSetting(2, 1);
            assertThat(emulated.alternate(2)).isEqualTo(1);
            int[] packets = new int[8];
            java.util.Arrays.fill(packets, CompositeModel.ISO_PACKET);
            byte[] buffer = new byte[8 * CompositeModel.ISO_PACKET];

            int n = c.isochronous(0x81, buffer, packets, 1_000);

            assertThat(n).isEqualTo(8 * CompositeModel.ISO_PACKET);
            assertThat(packets).containsOnly(CompositeModel.ISO_PACKET);
            ByteBuffer b = ByteBuffer.wrap(buffer);
            int first = b.getInt(0);
            for (int i = 1; i < 8; i++) {
                assertThat(b.getInt(i * CompositeModel.ISO_PACKET)).as("packet %d", i).isEqualTo(first + i);
            }
        }
    }

    @Test
    void streamsKeepTransfersInFlightAndDeliverInOrder() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        LibUsbHarness.awaitEventThread(usb.backend);
        try (DeviceConnection c = d.open()) {
            c.claimInterface(0);
            c.claimInterface(1);
            c.claimInterface(2);
            c.setAlternateSetting(2, 1);
            assertInOrder(c.openStream(0x85, 512, 4), 512, 2_000);
            assertInOrder(c.openStream(0x83, 16, 2), 4, 50);
            assertInOrder(c.openStream(0x81, 4 * CompositeModel.ISO_PACKET, 3), CompositeModel.ISO_PACKET, 200);
        }
    }

    /** Reads {@code count} transfers and checks the numbers the model put in consecutive packets. */
    private static void assertInOrder(org.usblogd.api.usb.InStream stream, int packet, int count) throws Exception {
        try (stream) {
            byte[] buffer = new byte[8 * 1024];
            int expected = -1;
            for (int i = 0; i < count; i++) {
                int n = stream.read(buffer, 2_000);
                assertThat(n % packet).as("whole packets").isZero();
                for (int off = 0; off < n; off += packet) {
                    int seq = ByteBuffer.wrap(buffer).getInt(off);
                    if (expected >= 0) {
                        assertThat(seq).as("packet after %d on 0x%x", expected - 1, stream.endpoint()).isEqualTo(expected);
                    }
                    expected = seq + 1;
                }
            }
            assertThat(stream.completed()).isEqualTo(count);
        }
    }

    @Test
    void closingAStreamCancelsItsTransfersAndWakesTheReader() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        LibUsbHarness.awaitEventThread(usb.backend);
        EmulatedUsbDevice emulated = usb.testbed.devices().get(0);
        try (DeviceConnection c = d.open()) {
            c.detachKernelDriver(3);
            c.claimInterface(3);
            org.usblogd.api.usb.InStream idle = c.openStream(0x84, 8, 4); // the HID endpoint never sends
            assertThat(emulated.urbsInFlight()).isEqualTo(4);
            long waited = System.nanoTime();
            assertThatThrownBy(() -> idle.read(new byte[8], 200)).isInstanceOfSatisfying(UsbException.class,
                    u -> assertThat(u.kind()).isEqualTo(Kind.TIMEOUT));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waited)).isBetween(150L, 2_000L);
            java.util.concurrent.CompletableFuture<Throwable> reader = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            idle.read(new byte[8], 10_000);
                            return null;
                        } catch (Throwable e) {
                            return e;
                        }
                    });
            Thread.sleep(100);

            long t0 = System.nanoTime();
            idle.close();

            Throwable e = reader.get(5, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
            assertThat(e).isInstanceOfSatisfying(UsbException.class, u -> assertThat(u.kind()).isEqualTo(Kind.CLOSED));
            assertThat(emulated.urbsInFlight()).isZero();
            assertThat(emulated.log()).filteredOn(l -> l.startsWith("discard")).hasSize(4);
        }
    }

    @Test
    void aDeniedDeviceNodeGivesAnAccessErrorNamingTheNodeAndTheUdevRules() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        usb.testbed.denyAccess(usb.testbed.devices().get(0));

        assertThatThrownBy(() -> FileAccess.withoutPermissionOverride(d::open)).isInstanceOfSatisfying(
                UsbException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.ACCESS);
                    assertThat(e.getMessage()).contains("/dev/bus/usb/001/007").contains("udev rules")
                            .contains("usblogd udev-rules");
                });
    }

    @Test
    void anInterfaceClaimedElsewhereGivesABusyErrorNamingTheInterface() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        usb.testbed.devices().get(0).claimElsewhere(1);
        try (DeviceConnection c = d.open()) {
            assertThatThrownBy(() -> c.claimInterface(1)).isInstanceOfSatisfying(UsbException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.BUSY);
                assertThat(e.getMessage()).contains("interface 1 is claimed by another program")
                        .contains("/dev/bus/usb/001/007");
            });
        }
    }

    @Test
    void resetKeepsTheDeviceUsable() throws Exception {
        BackendDevice d = plugAndStart(new CompositeModel("CT-0001", PERIOD));
        EmulatedUsbDevice emulated = usb.testbed.devices().get(0);
        try (DeviceConnection c = d.open()) {
            c.claimInterface(1);
            c.resetDevice();
            assertThat(emulated.resets()).isEqualTo(1);
            assertThat(c.bulk(0x85, new byte[512], 512, 1_000)).isEqualTo(512);
        }
    }
}
