package org.usblogd.api.usb;

import java.util.List;

/**
 * One alternate setting of an interface.
 *
 * @param number bInterfaceNumber
 * @param alternate bAlternateSetting
 */
public record UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
        int interfaceProtocol, List<UsbEndpointInfo> endpoints) {

    public UsbInterfaceInfo {
        endpoints = List.copyOf(endpoints);
    }
}
