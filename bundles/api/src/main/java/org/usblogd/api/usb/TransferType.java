package org.usblogd.api.usb;

/** Endpoint transfer type, as encoded in bits 0..1 of bmAttributes. */
public enum TransferType {
    CONTROL, ISOCHRONOUS, BULK, INTERRUPT;

    public static TransferType fromAttributes(int bmAttributes) {
        return values()[bmAttributes & 0x03];
    }
}
