package org.usblogd.usb.internal.libusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbException.Kind;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * A driver meets the same host rules on the virtual bus as on libusb over umockdev: a kernel driver's
 * interface cannot be claimed until detached, a bulk endpoint that stalled stays halted until cleared, and
 * the kernel driver comes back once the interface is given back. The drivers' tests run on either transport,
 * so a rule that held on one only would pass a driver that fails on a real device.
 */
@Timeout(60)
class HostRulesOnBothTransportsTest {

    @Test
    void onTheVirtualBusAStalledEndpointStaysHaltedUntilCleared() throws Exception {
        theHostRulesHold(OnTheVirtualBus.plug(new EchoModel()));
    }

    @Test
    void onLibUsbAStalledEndpointStaysHaltedUntilCleared() throws Exception {
        try (LibUsbFixture usb = LibUsbFixture.withUdevd()) {
            theHostRulesHold(usb.plugAndStart(new EchoModel(), 4, 9));
        }
    }

    private static void theHostRulesHold(BackendDevice device) throws Exception {
        try (DeviceConnection c = device.open()) {
            assertThat(c.kernelDriverActive(0)).isTrue();
            assertThatThrownBy(() -> c.claimInterface(0)).as("claiming what the kernel driver holds")
                    .isInstanceOfSatisfying(UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BUSY));
            c.detachKernelDriver(0);
            c.claimInterface(0);

            assertThatThrownBy(() -> c.bulk(0x01, new byte[] { 0 }, 1, 1_000)).as("the command the device refuses")
                    .isInstanceOfSatisfying(UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.STALL));
            assertThatThrownBy(() -> c.bulk(0x01, new byte[] { 7 }, 1, 1_000)).as("a good command while halted")
                    .isInstanceOfSatisfying(UsbException.class, e -> assertThat(e.kind()).isEqualTo(Kind.STALL));

            c.clearHalt(0x01);
            assertThat(c.bulk(0x01, new byte[] { 7 }, 1, 1_000)).isEqualTo(1);
            byte[] answer = new byte[8];
            assertThat(c.bulk(0x81, answer, answer.length, 1_000)).isEqualTo(1);
            assertThat(answer[0]).isEqualTo((byte) 7);

            c.releaseInterface(0);
            c.attachKernelDriver(0);
            assertThat(c.kernelDriverActive(0)).as("the kernel driver back after release").isTrue();
        }
    }

    /** Echoes each command on bulk IN 0x81; refuses an empty command (a zero byte) with a STALL, as a device does. */
    private static final class EchoModel implements DeviceModel {
        private final Deque<byte[]> answers = new ArrayDeque<>();

        @Override
        public UsbDeviceInfo info() {
            return new UsbDeviceInfo(0x1209, 0x0E0E, 0x0100, 0, 0, 0, "usblogd tests", "Echo", "ECHO-1", "-", 0,
                    List.of(new UsbInterfaceInfo(0, 0, 0xFF, 0, 0,
                            List.of(new UsbEndpointInfo(0x01, TransferType.BULK, 64, 0),
                                    new UsbEndpointInfo(0x81, TransferType.BULK, 64, 0)))));
        }

        @Override
        public String kernelDriver(int interfaceNumber) {
            return "echo";
        }

        @Override
        public byte[] controlIn(ControlSetup setup) throws UsbException {
            throw new UsbException(Kind.STALL, "echo stalls " + setup);
        }

        @Override
        public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
            throw new UsbException(Kind.STALL, "echo stalls " + setup);
        }

        @Override
        public synchronized void out(int endpoint, byte[] data) throws UsbException {
            if (data.length == 0 || data[0] == 0) {
                throw new UsbException(Kind.STALL, "echo refuses an empty command");
            }
            answers.add(data.clone());
        }

        @Override
        public synchronized byte[] in(int endpoint, long nowNanos) {
            return answers.poll();
        }

        @Override
        public long nextInNanos(int endpoint, long nowNanos) {
            return Long.MAX_VALUE;
        }
    }
}
