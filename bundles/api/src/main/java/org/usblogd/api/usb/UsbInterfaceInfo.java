package org.usblogd.api.usb;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One alternate setting of an interface.
 *
 * @param number bInterfaceNumber
 * @param alternate bAlternateSetting
 * @param name the iInterface string, or null
 * @param extra the descriptors between the interface descriptor and its first endpoint (or the next
 *        interface), verbatim: class-specific ones such as an audio or HID class descriptor; empty when none.
 *        Interface association descriptors are not among them (they are in the configuration's
 *        associations). Copied in and out: the record stays immutable.
 */
public record UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
        int interfaceProtocol, List<UsbEndpointInfo> endpoints, String name, byte[] extra) {

    /** @since 1.3 */
    public UsbInterfaceInfo {
        endpoints = List.copyOf(endpoints);
        extra = extra == null ? new byte[0] : extra.clone();
    }

    public UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
            int interfaceProtocol, List<UsbEndpointInfo> endpoints, String name) {
        this(number, alternate, interfaceClass, interfaceSubClass, interfaceProtocol, endpoints, name, new byte[0]);
    }

    public UsbInterfaceInfo(int number, int alternate, int interfaceClass, int interfaceSubClass,
            int interfaceProtocol, List<UsbEndpointInfo> endpoints) {
        this(number, alternate, interfaceClass, interfaceSubClass, interfaceProtocol, endpoints, null);
    }

    /** @since 1.3 */
    @Override
    public byte[] extra() {
        return extra.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsbInterfaceInfo i && i.number == number && i.alternate == alternate
                && i.interfaceClass == interfaceClass && i.interfaceSubClass == interfaceSubClass
                && i.interfaceProtocol == interfaceProtocol && i.endpoints.equals(endpoints)
                && Objects.equals(i.name, name) && Arrays.equals(i.extra, extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, alternate, interfaceClass, interfaceSubClass, interfaceProtocol, endpoints, name)
                * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "UsbInterfaceInfo[number=" + number + ", alternate=" + alternate + ", class=" + interfaceClass + "/"
                + interfaceSubClass + "/" + interfaceProtocol + ", endpoints=" + endpoints + ", name=" + name
                + ", extra=" + extra.length + " bytes]";
    }
}
