package org.usblogd.api.usb;

import java.util.List;

/**
 * One alternate setting of an interface.
 *
 * @param number bInterfaceNumber
 * @param alternate bAlternateSetting
 * @param name the iInterface string, or null
 */
public record UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
        int interfaceProtocol, List<UsbEndpointInfo> endpoints, String name) {

    public UsbInterfaceInfo {
        endpoints = List.copyOf(endpoints);
    }

    public UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
            int interfaceProtocol, List<UsbEndpointInfo> endpoints) {
        this(number, alternate, interfaceClass, interfaceSubClass, interfaceProtocol, endpoints, null);
    }
}
