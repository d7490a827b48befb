package org.usblogd.audio;

import java.util.Arrays;

/**
 * A control transfer as data: the setup packet's fields and, for OUT requests, the bytes sent; for IN
 * requests {@code length} is wLength and {@code data} is empty. Sending it is the session's business.
 */
record ControlRequest(int requestType, int request, int value, int index, int length, byte[] data) {

    ControlRequest {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    boolean isIn() {
        return (requestType & 0x80) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlRequest r && r.requestType == requestType && r.request == request
                && r.value == value && r.index == index && r.length == length && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] { requestType, request, value, index, length, Arrays.hashCode(data) });
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder();
        for (byte b : data) {
            hex.append(String.format("%02x", b & 0xFF));
        }
        return String.format("bmRequestType 0x%02x bRequest 0x%02x wValue 0x%04x wIndex 0x%04x wLength %d%s",
                requestType, request, value, index, length, data.length == 0 ? "" : " data " + hex);
    }
}
