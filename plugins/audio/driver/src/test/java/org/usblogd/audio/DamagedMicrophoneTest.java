package org.usblogd.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.sim.PluggedDevice;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.audio.twin.MicrophoneTwin;
import org.usblogd.sim.internal.VirtualBusBackend;
import org.usblogd.testing.plugin.BusLink;
import org.usblogd.testing.plugin.RecordingSink;

/**
 * Microphones whose class-specific descriptors are cut short, shuffled or random: opening a session on one
 * either works or ends with one UsbException saying why; nothing else escapes the driver, and the
 * interfaces are given back.
 */
@Timeout(120)
class DamagedMicrophoneTest {
    private final VirtualBusBackend bus = new VirtualBusBackend();

    /** The twin with each interface's and endpoint's class bytes replaced by {@code damage}'s. */
    private static DeviceModel damaged(MicrophoneTwin twin, Random random) {
        UsbDeviceInfo good = twin.info();
        List<UsbInterfaceInfo> interfaces = new ArrayList<>();
        for (UsbInterfaceInfo i : good.interfaces()) {
            List<UsbEndpointInfo> endpoints = new ArrayList<>();
            for (UsbEndpointInfo e : i.endpoints()) {
                endpoints.add(new UsbEndpointInfo(e.address(), e.type(), e.maxPacketSize(), e.interval(),
                        damage(e.extra(), random)));
            }
            interfaces.add(new UsbInterfaceInfo(i.number(), i.alternate(), i.interfaceClass(), i.interfaceSubClass(),
                    i.interfaceProtocol(), endpoints, i.name(), damage(i.extra(), random)));
        }
        UsbDeviceInfo info = new UsbDeviceInfo(good.vendorId(), good.productId(), good.bcdDevice(), 0, 0, 0,
                good.manufacturer(), good.product(), good.serialNumber(), "-", 0,
                List.of(UsbConfigurationInfo.of(interfaces)), 1, good.speed());
        return new DeviceModel() {
            @Override
            public UsbDeviceInfo info() {
                return info;
            }

            @Override
            public String kernelDriver(int interfaceNumber) {
                return twin.kernelDriver(interfaceNumber);
            }

            @Override
            public byte[] controlIn(ControlSetup setup) throws UsbException {
                return twin.controlIn(setup);
            }

            @Override
            public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
                twin.controlOut(setup, data);
            }

            @Override
            public byte[] in(int endpoint, long nowNanos) {
                return twin.in(endpoint, nowNanos);
            }

            @Override
            public long nextInNanos(int endpoint, long nowNanos) {
                return twin.nextInNanos(endpoint, nowNanos);
            }
        };
    }

    private static byte[] damage(byte[] good, Random r) {
        switch (r.nextInt(5)) {
        case 0:
            return Arrays.copyOf(good, good.length == 0 ? 0 : r.nextInt(good.length)); // cut short
        case 1: {
            byte[] b = good.clone();
            for (int k = 0; k < 3 && b.length > 0; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256); // a few bytes flipped
            }
            return b;
        }
        case 2: {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b); // random
            return b;
        }
        case 3:
            return new byte[0];
        default:
            return good;
        }
    }

    @Test
    void damagedDescriptorsEndTheOpeningWithAUsbExceptionOrAreReadNeverAnythingElse() throws Exception {
        Random random = new Random(18);
        int opened = 0;
        int refused = 0;
        for (int round = 0; round < 300; round++) {
            PluggedDevice plugged = bus.plug(damaged(new MicrophoneTwin(MicrophoneTwin.Signal.demo(), round), random));
            try (BusLink link = new BusLink((BackendDevice) plugged)) {
                try {
                    AudioSession session = AudioSession.open(link, new RecordingSink());
                    session.poll();
                    session.close();
                    opened++;
                } catch (UsbException e) {
                    assertThat(e.getMessage()).as("round %d", round).isNotBlank();
                    refused++;
                }
            } finally {
                plugged.unplug();
            }
        }
        assertThat(opened).as("sessions opened on what was still readable").isPositive();
        assertThat(refused).as("openings refused").isPositive();
    }
}
