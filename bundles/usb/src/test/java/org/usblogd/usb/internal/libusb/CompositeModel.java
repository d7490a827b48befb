package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.usblogd.api.sim.ControlSetup;
import org.usblogd.api.sim.DeviceModel;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbConfigurationInfo;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceAssociation;
import org.usblogd.api.usb.UsbInterfaceInfo;

/**
 * A composite device with one endpoint of every kind, for exercising the libusb stack:
 * <ul>
 * <li>interfaces 0 + 1, grouped by an IAD: a CDC-like function with a notification endpoint 0x83
 * (interrupt, one numbered packet every {@code periodNanos}) and a data interface whose bulk OUT 0x02
 * is looped back on bulk IN 0x82;</li>
 * <li>interface 2: vendor-specific, alternate 0 without endpoints, alternate 1 with isochronous IN 0x81
 * (192-byte packets carrying a running number);</li>
 * <li>interface 3: a HID interface bound to "usbhid", interrupt IN 0x84 that never sends anything;</li>
 * <li>bulk IN 0x85 on interface 1: an endless source of numbered 512-byte packets, for streaming.</li>
 * </ul>
 * Control: vendor IN request 1 answers the 4-byte counter of vendor OUT request 3 writes; request 2 stalls.
 */
public final class CompositeModel implements DeviceModel {
    static final int VID = 0x1209;
    static final int PID = 0x0002;
    static final int ISO_PACKET = 192;

    private final String serial;
    private final long periodNanos;
    private final int activeConfiguration;
    private final Deque<byte[]> loopback = new ArrayDeque<>();
    private long nextInterrupt;
    private int interruptCount;
    private int isoCount;
    private int bulkCount;
    private int written;

    CompositeModel(String serial, long periodNanos) {
        this(serial, periodNanos, 1);
    }

    /** @param activeConfiguration 0 for a device no driver has configured yet */
    public CompositeModel(String serial, long periodNanos, int activeConfiguration) {
        this.serial = serial;
        this.periodNanos = periodNanos;
        this.activeConfiguration = activeConfiguration;
    }

    @Override
    public UsbDeviceInfo info() {
        UsbInterfaceInfo control = new UsbInterfaceInfo(0, 0, 0x02, 0x02, 0x01,
                List.of(new UsbEndpointInfo(0x83, TransferType.INTERRUPT, 16, 4)), "Notifications");
        UsbInterfaceInfo data = new UsbInterfaceInfo(1, 0, 0x0A, 0, 0,
                List.of(new UsbEndpointInfo(0x82, TransferType.BULK, 512, 0),
                        new UsbEndpointInfo(0x02, TransferType.BULK, 512, 0),
                        new UsbEndpointInfo(0x85, TransferType.BULK, 512, 0)), "Data");
        UsbInterfaceInfo isoIdle = new UsbInterfaceInfo(2, 0, 0xFF, 0, 0, List.of(), "Stream (idle)");
        UsbInterfaceInfo isoActive = new UsbInterfaceInfo(2, 1, 0xFF, 0, 0,
                List.of(new UsbEndpointInfo(0x81, TransferType.ISOCHRONOUS, ISO_PACKET, 1)), "Stream");
        UsbInterfaceInfo hid = new UsbInterfaceInfo(3, 0, 0x03, 0, 0,
                List.of(new UsbEndpointInfo(0x84, TransferType.INTERRUPT, 8, 10)), null);
        UsbConfigurationInfo config = new UsbConfigurationInfo(1, "Default", 0x80, 100,
                List.of(control, data, isoIdle, isoActive, hid),
                List.of(new UsbInterfaceAssociation(0, 2, 0x02, 0x02, 0x01, "Serial port")));
        return new UsbDeviceInfo(VID, PID, 0x0103, 0xEF, 0x02, 0x01, "usblogd tests", "Composite", serial, "-", 0,
                List.of(config), activeConfiguration);
    }

    @Override
    public String kernelDriver(int interfaceNumber) {
        return interfaceNumber == 3 ? "usbhid" : null;
    }

    @Override
    public synchronized byte[] controlIn(ControlSetup setup) throws UsbException {
        if (setup.requestType() == 0xC0 && setup.request() == 1) {
            return ByteBuffer.allocate(4).putInt(written).array();
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + setup);
    }

    @Override
    public synchronized void controlOut(ControlSetup setup, byte[] data) throws UsbException {
        if (setup.requestType() == 0x40 && setup.request() == 3) {
            written = setup.value();
            return;
        }
        throw new UsbException(UsbException.Kind.STALL, "unsupported " + setup);
    }

    @Override
    public synchronized void out(int endpoint, byte[] data) throws UsbException {
        if (endpoint != 0x02) {
            throw new UsbException(UsbException.Kind.STALL, "no OUT endpoint " + endpoint);
        }
        loopback.add(data.clone());
    }

    @Override
    public synchronized byte[] in(int endpoint, long now) {
        switch (endpoint) {
        case 0x82:
            return loopback.poll();
        case 0x83:
            if (nextInterrupt == 0) {
                nextInterrupt = now;
            }
            if (now - nextInterrupt < 0) {
                return null;
            }
            nextInterrupt += periodNanos;
            return ByteBuffer.allocate(4).putInt(interruptCount++).array();
        case 0x81:
            return ByteBuffer.allocate(ISO_PACKET).putInt(isoCount++).array();
        case 0x85:
            return ByteBuffer.allocate(512).putInt(bulkCount++).array();
        default:
            return null;
        }
    }

    @Override
    public synchronized long nextInNanos(int endpoint, long now) {
        return endpoint == 0x83 ? nextInterrupt : Long.MAX_VALUE;
    }

    @Override
    public synchronized void reset() {
        nextInterrupt = 0;
        loopback.clear();
    }
}
