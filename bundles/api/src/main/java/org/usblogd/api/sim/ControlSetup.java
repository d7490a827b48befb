package org.usblogd.api.sim;

/** The 8-byte SETUP packet of a control transfer, as a device sees it. */
public record ControlSetup(int requestType, int request, int value, int index, int length) {

    public boolean isIn() {
        return (requestType & 0x80) != 0;
    }

    @Override
    public String toString() {
        return String.format("setup %02x %02x %04x %04x %d", requestType, request, value, index, length);
    }
}
