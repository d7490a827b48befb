package org.usblogd.api.usb;

import java.util.List;

/**
 * One configuration of a device: its interfaces (every alternate setting) and the interface associations
 * that group them into functions on composite devices.
 *
 * @param value bConfigurationValue, what SET_CONFIGURATION selects
 * @param name the iConfiguration string, or null
 * @param attributes bmAttributes (bit 6 self-powered, bit 5 remote wakeup)
 * @param maxPowerMilliamps bMaxPower decoded for a USB 2 device
 */
public record UsbConfigurationInfo(int value, String name, int attributes, int maxPowerMilliamps,
        List<UsbInterfaceInfo> interfaces, List<UsbInterfaceAssociation> associations) {

    public UsbConfigurationInfo {
        interfaces = List.copyOf(interfaces);
        associations = List.copyOf(associations);
    }

    /** A bus-powered configuration with value 1, no name and no associations. */
    public static UsbConfigurationInfo of(List<UsbInterfaceInfo> interfaces) {
        return new UsbConfigurationInfo(1, null, 0x80, 100, interfaces, List.of());
    }

    /** How many distinct interfaces (not alternate settings) the configuration has. */
    public int interfaceCount() {
        return (int) interfaces.stream().mapToInt(UsbInterfaceInfo::number).distinct().count();
    }
}
