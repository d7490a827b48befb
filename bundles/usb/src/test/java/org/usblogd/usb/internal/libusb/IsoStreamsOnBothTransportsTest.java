package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.usb.InStream;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * What an isochronous driver (a USB microphone's) needs of either transport: the class-specific descriptors
 * after interfaces and endpoints and the device's speed in its description; a stream whose packets are as
 * large as the selected alternate setting's endpoint allows, high-bandwidth transactions included; each
 * packet's length, with the packets that never came marked missing rather than failing the read; and
 * transfers paced by the bus's frames, not handed over as fast as they are asked for.
 */
@Timeout(60)
class IsoStreamsOnBothTransportsTest {
    private static final int PACKETS = 8;

    @Test
    void onTheVirtualBusAStreamGivesEachPacketOfTheSelectedSettingItsLengthAndMarksTheMissingOnes()
            throws Exception {
        BackendDevice device = OnTheVirtualBus.plug(new IsoModel());
        described(device.info());
        streams(device);
    }

    @Test
    void onLibUsbAStreamGivesEachPacketOfTheSelectedSettingItsLengthAndMarksTheMissingOnes() throws Exception {
        try (LibUsbFixture usb = LibUsbFixture.withUdevd()) {
            BackendDevice device = usb.plugAndStart(new IsoModel(), 4, 9);
            LibUsbHarness.awaitEventThread(usb.backend);
            described(device.info());
            streams(device);
        }
    }

    private static void described(UsbDeviceInfo info) {
        assertThat(info.speed()).isEqualTo(UsbSpeed.FULL);
        assertThat(info.interfaces()).filteredOn(i -> i.number() == 0).singleElement()
                .satisfies(i -> assertThat(i.extra()).containsExactly(IsoModel.CONTROL_EXTRA));
        assertThat(info.interfaces()).filteredOn(i -> i.number() == 1).extracting(UsbInterfaceInfo::extra)
                .containsExactly(new byte[0], IsoModel.STREAM_EXTRA, IsoModel.STREAM_EXTRA);
        UsbEndpointInfo wide = info.endpoint(0x81, i -> 2).orElseThrow();
        assertThat(wide.maxPacketSize()).isEqualTo(IsoModel.HIGH_BANDWIDTH);
        assertThat(wide.bytesPerInterval()).isEqualTo(IsoModel.PACKET);
        assertThat(wide.extra()).containsExactly(IsoModel.ENDPOINT_EXTRA);
        assertThat(info.endpoint(0x81, i -> 1).map(UsbEndpointInfo::bytesPerInterval)).contains(100);
        assertThat(info.endpoint(0x81, i -> 0)).as("not in the idle setting").isEmpty();
    }

    private static void streams(BackendDevice device) throws Exception {
        try (DeviceConnection c = device.open()) {
            c.detachKernelDriver(1);
            c.claimInterface(1);
            c.setAlternateSetting(1, 2);
            int transfers = 40;
            try (InStream s = c.openStream(0x81, PACKETS * IsoModel.PACKET, 4)) {
                byte[] buffer = new byte[PACKETS * IsoModel.PACKET];
                int[] lengths = new int[PACKETS];
                int missing = 0;
                int empty = 0;
                long last = -1;
                long start = System.nanoTime();
                for (int t = 0; t < transfers; t++) {
                    assertThat(s.readPackets(buffer, lengths, 2_000)).as("packets in a transfer").isEqualTo(PACKETS);
                    int at = 0;
                    for (int length : lengths) {
                        assertThat(length).as("a packet's length").isIn(IsoModel.PACKET, 0, InStream.MISSING);
                        missing += length == InStream.MISSING ? 1 : 0;
                        empty += length == 0 ? 1 : 0;
                        if (length == IsoModel.PACKET) {
                            long k = ByteBuffer.wrap(buffer, at, length).getLong();
                            assertThat(k).as("packets in order, whole").isGreaterThan(last);
                            last = k;
                            at += length;
                        }
                    }
                }
                double millis = (System.nanoTime() - start) / 1e6;
                int all = transfers * PACKETS;
                assertThat(missing).as("packets not sent, of %d", all).isBetween(all / 10 - 2, all / 10 + 2);
                assertThat(empty).as("packets sent empty, of %d", all).isBetween(all / 10 - 2, all / 10 + 2);
                // one packet per 1 ms frame at full speed; the first transfers may have been queued at open
                assertThat(millis).as("ms for %d packets", all).isGreaterThan(0.7 * (all - 4 * PACKETS));
            }
        }
    }
}
