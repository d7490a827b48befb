package org.usblogd.usb.internal.libusb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.usb4java.ConfigDescriptor;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.EndpointDescriptor;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;
import org.usblogd.api.usb.TransferType;
import org.usblogd.api.usb.UsbDeviceInfo;
import org.usblogd.api.usb.UsbEndpointInfo;
import org.usblogd.api.usb.UsbException;
import org.usblogd.api.usb.UsbInterfaceInfo;
import org.usblogd.api.usb.spi.BackendDevice;
import org.usblogd.api.usb.spi.DeviceConnection;

/**
 * A device libusb reported. Holds a reference on the native device until {@link #dispose()}. String
 * descriptors need a control transfer, which must not run inside a hotplug callback, so they are read on
 * first use of {@link #info()} from the caller's thread.
 */
final class LibUsbDevice implements BackendDevice {
    private final Device device;
    private final DeviceDescriptor descriptor = new DeviceDescriptor();
    private final String portPath;
    private final int bus;
    private final int address;
    private final List<UsbInterfaceInfo> interfaces;
    private volatile UsbDeviceInfo info;

    LibUsbDevice(Context context, Device device) throws UsbException {
        this.device = LibUsb.refDevice(device);
        this.bus = LibUsb.getBusNumber(device);
        this.address = LibUsb.getDeviceAddress(device);
        this.portPath = portPath(device, bus);
        LibUsbErrors.check(LibUsb.getDeviceDescriptor(device, descriptor), "read device descriptor", node());
        this.interfaces = readInterfaces(device);
    }

    Device device() {
        return device;
    }

    /** /dev/bus/usb/BBB/DDD, the node whose permissions decide whether we may open the device. */
    String node() {
        return String.format("/dev/bus/usb/%03d/%03d", bus, address);
    }

    @Override
    public UsbDeviceInfo info() {
        UsbDeviceInfo i = info;
        if (i == null) {
            synchronized (this) {
                if (info == null) {
                    info = readInfo();
                }
                i = info;
            }
        }
        return i;
    }

    @Override
    public DeviceConnection open() throws UsbException {
        DeviceHandle handle = new DeviceHandle();
        String who = String.format("%04x:%04x at %s (%s)", descriptor.idVendor() & 0xFFFF,
                descriptor.idProduct() & 0xFFFF, portPath, node());
        LibUsbErrors.check(LibUsb.open(device, handle), "open", who);
        return new LibUsbConnection(handle, who);
    }

    void dispose() {
        LibUsb.unrefDevice(device);
    }

    private UsbDeviceInfo readInfo() {
        String manufacturer = null;
        String product = null;
        String serial = null;
        DeviceHandle handle = new DeviceHandle();
        if (LibUsb.open(device, handle) == LibUsb.SUCCESS) {
            try {
                manufacturer = string(handle, descriptor.iManufacturer());
                product = string(handle, descriptor.iProduct());
                serial = string(handle, descriptor.iSerialNumber());
            } finally {
                LibUsb.close(handle);
            }
        }
        return new UsbDeviceInfo(descriptor.idVendor() & 0xFFFF, descriptor.idProduct() & 0xFFFF,
                descriptor.bcdDevice() & 0xFFFF, descriptor.bDeviceClass() & 0xFF,
                descriptor.bDeviceSubClass() & 0xFF, descriptor.bDeviceProtocol() & 0xFF, manufacturer, product,
                serial, portPath, address, interfaces);
    }

    private static String string(DeviceHandle handle, byte index) {
        if (index == 0) {
            return null;
        }
        String s = LibUsb.getStringDescriptor(handle, index);
        return s == null ? null : s.strip();
    }

    private static String portPath(Device device, int bus) {
        ByteBuffer ports = ByteBuffer.allocateDirect(8);
        int n = LibUsb.getPortNumbers(device, ports);
        StringBuilder sb = new StringBuilder().append(bus).append('-');
        if (n <= 0) {
            return sb.append('0').toString();
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(ports.get(i) & 0xFF);
        }
        return sb.toString();
    }

    private static List<UsbInterfaceInfo> readInterfaces(Device device) {
        List<UsbInterfaceInfo> result = new ArrayList<>();
        ConfigDescriptor config = new ConfigDescriptor();
        if (LibUsb.getActiveConfigDescriptor(device, config) != LibUsb.SUCCESS
                && LibUsb.getConfigDescriptor(device, (byte) 0, config) != LibUsb.SUCCESS) {
            return result;
        }
        try {
            for (Interface iface : config.iface()) {
                for (InterfaceDescriptor alt : iface.altsetting()) {
                    List<UsbEndpointInfo> endpoints = new ArrayList<>();
                    for (EndpointDescriptor ep : alt.endpoint()) {
                        endpoints.add(new UsbEndpointInfo(ep.bEndpointAddress() & 0xFF,
                                TransferType.fromAttributes(ep.bmAttributes()), ep.wMaxPacketSize() & 0xFFFF,
                                ep.bInterval() & 0xFF));
                    }
                    result.add(new UsbInterfaceInfo(alt.bInterfaceNumber() & 0xFF, alt.bAlternateSetting() & 0xFF,
                            alt.bInterfaceClass() & 0xFF, alt.bInterfaceSubClass() & 0xFF,
                            alt.bInterfaceProtocol() & 0xFF, endpoints));
                }
            }
        } finally {
            LibUsb.freeConfigDescriptor(config);
        }
        return result;
    }
}
