package org.usblogd.api.usb;

/**
 * An interface association descriptor (IAD): consecutive interfaces that together form one function of a
 * composite device, e.g. the control and data interfaces of a CDC-ACM port.
 *
 * @param name the iFunction string, or null
 */
public record UsbInterfaceAssociation(int firstInterface, int interfaceCount, int functionClass,
        int functionSubClass, int functionProtocol, String name) {

    public boolean contains(int interfaceNumber) {
        return interfaceNumber >= firstInterface && interfaceNumber < firstInterface + interfaceCount;
    }
}
