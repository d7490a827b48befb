package org.usblogd.usb.internal.libusb;

import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A device that always has data, answering every IN request at once: bulk 0x81 (64-byte transfers),
 * 0x83 (512) and 0x84 (4 KiB), interrupt 0x82 (8 bytes), and vendor control requests (8 bytes).
 */
public final class BenchmarkModel implements DeviceModel {
    private final byte[] bulk64 = new byte[64];
    private final byte[] bulk512 = new byte[512];
    private final byte[] bulk4k = new byte[4096];
    private final byte[] interrupt = new byte[8];
    private final byte[] control = new byte[8];

    @Override
    public UsbDeviceInfo info() {
        return new UsbDeviceInfo(0x1209, 0x0003, 0x0100, 0, 0, 0, "usblogd tests", "Benchmark", "BENCH-1", "-", 0,
                List.of(new UsbInterfaceInfo(0, 0, 0xFF, 0, 0,
                        List.of(new UsbEndpointInfo(0x81, TransferType.BULK, 512, 0),
                                new UsbEndpointInfo(0x82, TransferType.INTERRUPT, 8, 1),
                                new UsbEndpointInfo(0x83, TransferType.BULK, 512, 0),
                                new UsbEndpointInfo(0x84, TransferType.BULK, 512, 0)))));
    }

    @Override
    public byte[] controlIn(ControlSetup setup) {
        return control;
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) {
    }

    @Override
    public byte[] in(int endpoint, long nowNanos) {
        switch (endpoint) {
        case 0x81:
            return bulk64;
        case 0x83:
            return bulk512;
        case 0x84:
            return bulk4k;
        default:
            return interrupt;
        }
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return nowNanos;
    }
}
