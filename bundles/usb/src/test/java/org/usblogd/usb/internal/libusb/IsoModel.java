package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.UsbSpeed;

/**
 * A full-speed device shaped like an audio function, for the isochronous streams of both transports:
 * interface 0 with a class-specific descriptor after it; interface 1 with alternate 1 (isochronous IN 0x81,
 * 100-byte packets) and alternate 2 (the same address as a high-bandwidth endpoint: 200 bytes times two
 * transactions), each with class-specific interface and endpoint descriptors. Packet k of 0x81 carries k
 * in 400 bytes; every tenth (k % 10 == 9) is not sent, the one five after it is sent empty.
 */
final class IsoModel implements DeviceModel {
    static final int HIGH_BANDWIDTH = 1 << 11 | 200;
    static final int PACKET = 400;
    static final byte[] CONTROL_EXTRA = { 9, 0x24, 0x01, 0x00, 0x01, 0x09, 0x00, 1, 1 };
    static final byte[] STREAM_EXTRA = { 7, 0x24, 0x01, 3, 1, 0x01, 0x00, 11, 0x24, 0x02, 0x01, 1, 2, 16, 1,
            (byte) 0x80, (byte) 0xBB, 0x00 };
    static final byte[] ENDPOINT_EXTRA = { 7, 0x25, 0x01, 0x01, 0, 0, 0 };

    private long packets;

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo control = new UsbInterfaceInfo(0, 0, 0x01, 0x01, 0, List.of(), null, CONTROL_EXTRA);
        UsbInterfaceInfo idle = new UsbInterfaceInfo(1, 0, 0x01, 0x02, 0, List.of(), null);
        UsbInterfaceInfo narrow = new UsbInterfaceInfo(1, 1, 0x01, 0x02, 0,
                List.of(new UsbEndpointInfo(0x81, TransferType.ISOCHRONOUS, 100, 1, ENDPOINT_EXTRA)), null,
                STREAM_EXTRA);
        UsbInterfaceInfo wide = new UsbInterfaceInfo(1, 2, 0x01, 0x02, 0,
                List.of(new UsbEndpointInfo(0x81, TransferType.ISOCHRONOUS, HIGH_BANDWIDTH, 1, ENDPOINT_EXTRA)),
                null, STREAM_EXTRA);
        return new UsbDeviceInfo(0x1209, 0x0003, 0x0100, 0, 0, 0, "usblogd tests", "Iso", "ISO-1", "-", 0,
                List.of(org.usblogd.api.usb.UsbConfigurationInfo.of(List.of(control, idle, narrow, wide))), 1,
                UsbSpeed.FULL);
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return "snd-usb-audio";
    }

    @Override
    public byte[] controlIn(ControlSetup setup) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + setup);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + setup);
    }

    @Override
    public synchronized byte[] in(int endpoint, long nowNanos) {
        if (endpoint != 0x81) {
            return null;
        }
        long k = packets++;
        if (k % 10 == 9) {
            return null;
        }
        if (k % 10 == 4) {
            return new byte[0];
        }
        return ByteBuffer.allocate(PACKET).putLong(k).array();
    }

    @Override
    public long nextInNanos(int endpoint, long nowNanos) {
        return Long.MAX_VALUE;
    }
}
