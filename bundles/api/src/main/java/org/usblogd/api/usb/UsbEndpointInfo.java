package org.usblogd.api.usb;

/**
 * One endpoint of an interface's alternate setting.
 *
 * @param address bEndpointAddress; bit 7 set means IN
 * @param type transfer type
 * @param maxPacketSize wMaxPacketSize
 * @param interval bInterval
 */
public record UsbEndpointInfo(int address, TransferType type, int maxPacketSize, int interval) {

    public boolean isIn() {
        return (address & 0x80) != 0;
    }
}
