package org.usblogd.api.usb;

import java.util.List;
import java.util.Objects;

/**
 * A device as enumerated: descriptor fields, its strings (null when the device has none or they could
 * not be read) and where it sits on the bus. Immutable.
 *
 * @param bcdDevice device release number, e.g. 0x0200
 * @param portPath bus number and port chain, e.g. "1-1.4"; stable while the device stays in that socket
 * @param address bus address; changes on every replug, so never use it as identity
 */
public record UsbDeviceInfo(int vendorId, int productId, int bcdDevice, int deviceClass, int deviceSubClass,
        int deviceProtocol, String manufacturer, String product, String serialNumber, String portPath,
        int address, List<UsbInterfaceInfo> interfaces) {

    public UsbDeviceInfo {
        Objects.requireNonNull(portPath, "portPath");
        interfaces = List.copyOf(interfaces);
    }

    /** The same device seen at another place on a bus. */
    public UsbDeviceInfo at(String newPortPath, int newAddress) {
        return new UsbDeviceInfo(vendorId, productId, bcdDevice, deviceClass, deviceSubClass, deviceProtocol,
                manufacturer, product, serialNumber, newPortPath, newAddress, interfaces);
    }

    public DeviceIdentity identity() {
        return DeviceIdentity.of(this);
    }

    /** "04d9:a052" */
    public String vidPid() {
        return String.format("%04x:%04x", vendorId, productId);
    }

    @Override
    public String toString() {
        return vidPid() + " " + (product == null ? "?" : product) + " at " + portPath + " addr " + address;
    }
}
